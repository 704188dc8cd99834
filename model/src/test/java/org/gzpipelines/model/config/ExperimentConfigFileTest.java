package org.gzpipelines.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentConfigFileTest {

  @TempDir Path dir;

  Path write(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  /** A user's config outside configs/ that says extends: base.yaml is pointed at gz's own. */
  @Test
  void aMissingParentThatGzShipsIsNamedWithItsPath() throws IOException {
    Path home = Files.createDirectories(dir.resolve("gz/configs")).getParent();
    Files.writeString(home.resolve("configs/base.yaml"), "train: {epochs: 1}\n");
    Path mine = Files.createDirectories(dir.resolve("my"));
    Path child = Files.writeString(mine.resolve("c.yaml"), "extends: base.yaml\n");
    String before = System.getProperty("gz.home");
    System.setProperty("gz.home", home.toString());
    try {
      ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(child));
      assertTrue(e.getMessage().contains("config file " + mine.resolve("base.yaml") + " does not exist (extended by " + child
          + "): gz's own is " + home.resolve("configs/base.yaml") + ", e.g. extends: ../gz/configs/base.yaml"), e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty("gz.home");
      } else {
        System.setProperty("gz.home", before);
      }
    }
  }

  /** A mis-indented key: the file's line and column, the reason, the line with a caret; not the parser's stream name. */
  @Test
  void invalidYamlNamesTheFilesLineAndColumn() throws IOException {
    Path bad = write("bad.yaml", "experiment: e1\ntrain:\n  data: d\n   architecture: mean-baseline\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(bad));
    List<String> lines = e.getMessage().lines().toList();
    assertEquals(bad + " line 4, column 16: not valid YAML: mapping values are not allowed here", lines.get(0));
    assertEquals(3, lines.size(), e.getMessage());
    assertTrue(lines.get(1).contains("architecture: mean-baseline") && lines.get(2).trim().equals("^"), e.getMessage());
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
    // Parameters as a run filter would write them, never in Java's scientific notation.
    TrainConfig small = new TrainConfig();
    small.optimizer.lr = 3e-4f;
    small.schedule.minLr = 1e-5f;
    Map<String, String> flat = ExperimentConfigFile.flatten("train", small);
    assertEquals("0.0003", flat.get("train.optimizer.lr"));
    assertEquals("0.00001", flat.get("train.schedule.min-lr"));
  }

  @Test
  void aSweepGridReplacesTheGridOfTheFileItExtends() throws IOException {
    write("base.yaml", "sweep:\n  baseline: true\n  grid:\n    optimizer.lr: [0.003, 0.0003]\n    batch-size: [32, 64]\n");
    Path child = write("child.yaml", "extends: base.yaml\nsweep:\n  grid:\n    architecture: [custom-cnn, resnet18]\n");
    Map<String, String> flat = ExperimentConfigFile.load(child).flatten();
    assertEquals("[\"custom-cnn\",\"resnet18\"]", flat.get("sweep.grid.architecture"));
    assertTrue(flat.keySet().stream().noneMatch(k -> k.contains("lr") || k.contains("batch-size")),
        "the parent's axes are not merged in: " + flat);
    assertEquals("true", flat.get("sweep.baseline"), "the rest of the sweep section merges as any other");
    assertEquals("[0.003,0.0003]", ExperimentConfigFile.load(dir.resolve("base.yaml")).flatten().get("sweep.grid.optimizer.lr"),
        "a list's numbers as the config writes them");
  }

  @Test
  void aCommandLineSetOverridesAnyKeyAsYaml() throws IOException {
    Path file = write("c.yaml", "train:\n  batch-size: 32\n  optimizer: {name: sgd, lr: 0.1}\n");
    ExperimentConfigFile f = ExperimentConfigFile.load(file).withOverride("train.optimizer.lr=0.003")
        .withOverride("train.custom-cnn.filters=[4, 8]").withOverride("experiment=mine");
    TrainConfig t = f.section("train", TrainConfig.class);
    assertEquals(0.003f, t.optimizer.lr);
    assertEquals("sgd", t.optimizer.name, "the keys beside it stay");
    assertEquals(List.of(4, 8), t.customCnn.filters);
    assertEquals("mine", f.experimentName());
    // A key the section does not have is named as the command line's, with the keys there.
    ConfigException e = assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(file)
        .withOverride("train.optimizer.rate=0.1").section("train", TrainConfig.class));
    assertTrue(e.getMessage().contains("the command line: unknown key 'train.optimizer.rate' (known keys there:")
        && e.getMessage().contains("lr"), "no suggestion for a word that is no typo: " + e.getMessage());
    // A typo, or another tool's spelling, of a key: the one it meant.
    ConfigException typo = assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(file)
        .withOverride("train.batchSize=8").section("train", TrainConfig.class));
    assertTrue(typo.getMessage().contains("unknown key 'train.batchSize': did you mean 'batch-size'? (known keys"),
        typo.getMessage());
    // A key given at the wrong level: the key of that name elsewhere in the section.
    ConfigException level = assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(file)
        .withOverride("train.lr=0.01").section("train", TrainConfig.class));
    assertTrue(level.getMessage().contains("unknown key 'train.lr': did you mean 'train.optimizer.lr'?"), level.getMessage());
    // Every unknown key of a section at once, each with its own origin and suggestion.
    Path typos = write("typos.yaml", "train:\n  max-imgaes: 100\n  custom-cnn: {drop-out: 0.2}\n  epochs: 2\n");
    ConfigException both = assertThrows(ConfigException.class,
        () -> ExperimentConfigFile.load(typos).section("train", TrainConfig.class));
    assertTrue(both.getMessage().startsWith("2 unknown keys:") && both.getMessage().contains(
        "unknown key 'train.max-imgaes': did you mean 'max-images'?") && both.getMessage().contains(
        "unknown key 'train.custom-cnn.drop-out': did you mean 'dropout'?"), both.getMessage());
    assertEquals(java.util.Optional.of("architecture"),
        ExperimentConfigFile.closest("achitecture", List.of("architecture", "augment", "batch-size")));
    assertTrue(assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(file)
        .withOverride("trian.epochs=3")).getMessage().contains("unknown top-level key 'trian'"));
    assertTrue(assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(file)
        .withOverride("train.epochs")).getMessage().contains("e.g. --set train.epochs=3"));
    // A value never replaces a section, nor a section a value.
    assertTrue(assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(file)
        .withOverride("train=5")).getMessage().contains("'train' is a section: set a key in it"));
    assertTrue(assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(file)
        .withOverride("experiment.foo=1")).getMessage().contains("'experiment' is a value, not a section"));
    assertTrue(assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(file)
        .withOverride("train.optimizer.lr.x=1")).getMessage().contains("'train.optimizer.lr' is a value (0.1)"));
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

  private ConfigException trainError(String file, String yaml) throws IOException {
    Path f = write(file, yaml);
    return assertThrows(ConfigException.class, () -> ExperimentConfigFile.load(f).section("train", TrainConfig.class));
  }

  @Test
  void anIntegerKeyRefusesAFractionInsteadOfTruncatingIt() throws IOException {
    ConfigException e = trainError("x.yaml", "train:\n  batch-size: 32.5\n");
    assertEquals("'train.batch-size' must be an integer, e.g. 64, not 32.5 (" + dir.resolve("x.yaml") + ")", e.getMessage());
    ConfigException text = trainError("t.yaml", "train:\n  epochs: lots\n");
    assertEquals("'train.epochs' must be an integer, e.g. 10, not lots (" + dir.resolve("t.yaml") + ")", text.getMessage());
    ConfigException quoted = trainError("q.yaml", "train:\n  epochs: \"3\"\n");
    assertEquals("'train.epochs' must be an integer, e.g. 10, not \"3\" (text in quotes: remove the quotes) ("
        + dir.resolve("q.yaml") + ")", quoted.getMessage());
  }

  @Test
  void aWholeNumberInExponentFormIsAnIntegerAndItsRangeIsChecked() throws IOException {
    Path ok = write("ok.yaml", "train:\n  max-images: 2e6\n  batch-size: 1.28e2\n");
    TrainConfig t = ExperimentConfigFile.load(ok).section("train", TrainConfig.class);
    assertEquals(2_000_000L, t.maxImages);
    assertEquals(128, t.batchSize);

    ConfigException e = trainError("big.yaml", "train:\n  batch-size: 1e9\n");
    assertEquals(dir.resolve("big.yaml") + ": 'train.batch-size': must be from 1 to 4096, was 1000000000", e.getMessage());
    ConfigException overflow = trainError("huge.yaml", "train:\n  batch-size: 1e12\n");
    assertTrue(overflow.getMessage().startsWith("'train.batch-size' must be an integer from -2147483648 to 2147483647"),
        overflow.getMessage());
    assertTrue(overflow.getMessage().endsWith("(" + dir.resolve("huge.yaml") + ")"), overflow.getMessage());
    ConfigException buffer = trainError("buf.yaml", "train:\n  reader: {shuffle-buffer: 1e7}\n");
    assertTrue(buffer.getMessage().contains("'train.reader.shuffle-buffer': must be from 1 to 100000, was 10000000"),
        buffer.getMessage());
  }

  @Test
  void wrongShapesGetASentenceOfOurOwn() throws IOException {
    ConfigException list = trainError("x.yaml", "train:\n  custom-cnn:\n    filters: 8\n");
    assertEquals("'train.custom-cnn.filters' must be a list of integers, e.g. [32, 64, 128], not 8 ("
        + dir.resolve("x.yaml") + ")", list.getMessage());
    ConfigException element = trainError("e.yaml", "train:\n  custom-cnn: {filters: [32, 64.5]}\n");
    assertEquals("'train.custom-cnn.filters[1]' must be an integer, e.g. 64, not 64.5 (" + dir.resolve("e.yaml") + ")",
        element.getMessage());
    ConfigException mapping = trainError("m.yaml", "train:\n  optimizer: adam\n");
    assertEquals("'train.optimizer' must be a mapping of keys (key: value lines), not adam (" + dir.resolve("m.yaml") + ")",
        mapping.getMessage());
    ConfigException scalar = trainError("s.yaml", "train:\n  optimizer: {lr: [0.1]}\n");
    assertEquals("'train.optimizer.lr' must be a number, e.g. 0.001, not [0.1] (" + dir.resolve("s.yaml") + ")",
        scalar.getMessage());
    ConfigException empty = trainError("n.yaml", "train:\n  batch-size:\n");
    assertEquals("'train.batch-size' must be an integer, e.g. 64, not empty (" + dir.resolve("n.yaml") + ")",
        empty.getMessage());
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
