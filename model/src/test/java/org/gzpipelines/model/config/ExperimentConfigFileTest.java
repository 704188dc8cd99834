package org.gzpipelines.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentConfigFileTest {

  @TempDir Path dir;

  Path write(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  @Test
  void extendsDeepMerges() throws IOException {
    write("base.yaml", "experiment: e1\ntrain:\n  batch-size: 32\n  optimizer: {name: sgd, lr: 0.1}\n  custom-cnn: {filters: [4, 8]}\n");
    Path child = write("child.yaml", "extends: base.yaml\ntrain:\n  optimizer: {lr: 0.01}\n  custom-cnn: {filters: [16]}\n");
    ExperimentConfigFile f = ExperimentConfigFile.load(child);
    TrainConfig t = f.section("train", TrainConfig.class);
    assertEquals("e1", f.experimentName());
    assertEquals(32, t.batchSize);
    assertEquals("sgd", t.optimizer.name);
    assertEquals(0.01f, t.optimizer.lr);
    assertEquals(List.of(16), t.customCnn.filters); // lists replace, maps merge
    assertEquals("0.01", f.flatten().get("train.optimizer.lr"));
  }

  @Test
  void unknownKeyNamesTheKeyAndTheFileThatSetIt() throws IOException {
    write("base.yaml", "train:\n  optimizer: {lrr: 0.1}\n");
    Path child = write("child.yaml", "extends: base.yaml\ntrain:\n  batch-size: 8\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ExperimentConfigFile.load(child).section("train", TrainConfig.class));
    assertTrue(e.getMessage().contains("'train.optimizer.lrr'"), e.getMessage());
    assertTrue(e.getMessage().contains("base.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("lr"), e.getMessage());
  }

  @Test
  void unknownTopLevelSectionIsAnError() throws IOException {
    Path f = write("x.yaml", "trian:\n  epochs: 1\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(f));
    assertTrue(e.getMessage().contains("'trian'") && e.getMessage().contains("x.yaml"), e.getMessage());
  }

  @Test
  void otherStagesSectionsAreAllowed() throws IOException {
    Path f = write("x.yaml", "ingest: {size: 69}\nevaluate: {}\ntrain: {epochs: 1}\n");
    assertEquals(1, ExperimentConfigFile.load(f).section("train", TrainConfig.class).epochs);
  }

  @Test
  void badEnumValueListsTheAllowedOnes() throws IOException {
    Path f = write("x.yaml", "train:\n  architecture: resnet50\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ExperimentConfigFile.load(f).section("train", TrainConfig.class));
    assertTrue(e.getMessage().contains("'train.architecture'") && e.getMessage().contains("resnet18"), e.getMessage());
  }

  @Test
  void badValuesNameTheKey() throws IOException {
    Path f = write("x.yaml", "train:\n  batch-size: 0\n  schedule: {name: step}\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ExperimentConfigFile.load(f).section("train", TrainConfig.class));
    assertTrue(e.getMessage().contains("'train.batch-size'") && e.getMessage().contains("'train.schedule.name'")
        && e.getMessage().contains("x.yaml"), e.getMessage());
    Path g = write("y.yaml", "train:\n  batch-size: lots\n");
    ConfigException e2 = assertThrows(ConfigException.class,
        () -> ExperimentConfigFile.load(g).section("train", TrainConfig.class));
    assertTrue(e2.getMessage().contains("'train.batch-size'"), e2.getMessage());
  }

  @Test
  void missingExtendedFileIsNamed() throws IOException {
    Path f = write("x.yaml", "extends: nothere.yaml\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(f));
    assertTrue(e.getMessage().contains("nothere.yaml") && e.getMessage().contains("x.yaml"), e.getMessage());
  }

  @Test
  void everyShippedConfigLoads() throws IOException {
    Path configs = Path.of("..", "configs");
    try (Stream<Path> s = Files.list(configs)) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertTrue(files.size() >= 8, files.toString());
      for (Path p : files) {
        TrainConfig t = ExperimentConfigFile.load(p).section("train", TrainConfig.class);
        assertTrue(t.batchSize > 0, p.toString());
      }
    }
    TrainConfig best = ExperimentConfigFile.load(configs.resolve("resnet18-best.yaml")).section("train", TrainConfig.class);
    assertEquals(TrainConfig.Architecture.RESNET18, best.architecture);
    assertEquals(TrainConfig.Head.DECISION_TREE, best.head);
    assertEquals("reduce-on-plateau", best.schedule.name);
    assertTrue(best.augment.rotate90 && best.augment.flip);
  }
}
