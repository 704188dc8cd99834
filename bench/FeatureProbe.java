// The features of a saved custom-cnn model at one layer for every image of a real sample (spirals/,
// non_spirals/), one CSV row an image: GalaxyID, folder, half (gz real-sample's tune/report split),
// then the values. bench/feature-probe.sh fits a linear probe on them: do the features a model learned
// on synthetic galaxies tell real spirals apart better than those of an untrained network?
// Layers: "conv" (the flattened output of the convolutions) or "penultimate" (the input of the last
// linear layer). With a seed instead of "trained", the same network freshly initialised, untrained.
// Run (after ./gz has built the project):
//   java -cp "$(cat pipelines/target/gz.classpath):pipelines/target/classes" bench/FeatureProbe.java \
//     <model folder> <real folder> conv|penultimate trained|<seed> <out.csv>
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gzpipelines.evaluate.RealSample;
import org.gzpipelines.ingest.TestImageReader;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.net.Networks;
import org.gzpipelines.model.predict.HostBatches;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.schemas.Galaxy;

public class FeatureProbe {
  public static void main(String[] a) throws Exception {
    Path dir = Path.of(a[0]);
    Path sample = Path.of(a[1]);
    boolean conv = a[2].equals("conv");
    boolean trained = a[3].equals("trained");
    TrainConfig config = ExperimentConfigFile.parse(Files.readString(dir.resolve(SavedModel.CONFIG_FILE)),
        dir.resolve(SavedModel.CONFIG_FILE)).section("train", TrainConfig.class);
    SavedModel.Info info = SavedModel.readInfo(dir);
    if (!trained) {
      Engine.getInstance().setRandomSeed(Integer.parseInt(a[3]));
    }
    try (Model model = Model.newInstance(SavedModel.NAME, "PyTorch")) {
      model.setBlock(Networks.build(config));
      model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32,
          new Shape(1, info.channels(), info.height(), info.width()));
      if (trained) {
        model.load(dir, SavedModel.NAME);
      }
      // The blocks up to the first linear layer (conv) or up to the last one (penultimate).
      List<Block> blocks = new ArrayList<>();
      model.getBlock().getChildren().forEach(p -> blocks.add(p.getValue()));
      int firstLinear = -1;
      int lastLinear = -1;
      for (int i = 0; i < blocks.size(); i++) {
        if (blocks.get(i) instanceof Linear) {
          firstLinear = firstLinear < 0 ? i : firstLinear;
          lastLinear = i;
        }
      }
      List<Block> upTo = blocks.subList(0, conv ? firstLinear : lastLinear);
      // The same image reading as gz real-sample; an image the model cannot take is left out.
      TestImageReader reader = new TestImageReader(info.preprocessingOrDefault());
      StringBuilder csv = new StringBuilder();
      for (String folder : new String[] {"spirals", "non_spirals"}) {
        for (Path f : RealSample.images(sample.resolve(folder))) {
          List<Galaxy> read = new ArrayList<>();
          reader.read(f.toString(), read::add, dead -> System.err.println(dead.getSource() + ": " + dead.getReason()));
          if (read.isEmpty()) {
            continue;
          }
          Galaxy g = read.get(0);
          long id = g.getGalaxyId();
          try (NDManager m = model.getNDManager().newSubManager()) {
            NDList x = new NDList(HostBatches.of(List.of(g)).images(m));
            ParameterStore parameters = new ParameterStore(m, false);
            for (Block b : upTo) {
              x = b.forward(parameters, x, false);
            }
            csv.append(id).append(',').append(folder).append(',').append(RealSample.heldOut(id) ? "report" : "tune");
            for (float v : x.singletonOrThrow().toFloatArray()) {
              csv.append(',').append(v);
            }
            csv.append('\n');
          }
        }
      }
      Files.writeString(Path.of(a[4]), csv);
    }
  }
}
