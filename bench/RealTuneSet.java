// The tune half of a real sample (spirals/ and non_spirals/ of <GalaxyID>.jpg) as a labelled set in
// Kaggle's layout, for bench/real-reference.sh: a model trained on real labels and scored on the
// held-out half by gz real-sample shows what the synthetic-trained models could reach on those
// images. The halves are gz real-sample's own (RealSample.heldOut), so nothing of the held-out half
// is trained on. The folders give one bit per galaxy; each image gets the vote fractions of one
// path through the decision tree (a spiral: features, not edge-on, no bar, spiral, medium winding,
// two arms, a just noticeable bulge, nothing odd; a non-spiral: smooth, in between, nothing odd),
// so the labels are consistent with the tree and 'spiral: yes' and 'features or disk' are exactly
// the folder's bit. With a third argument, held-out, it writes the held-out half instead (for
// bench/domain-adversarial.sh, which scores on it and trains on none of its labels).
// Run (after ./gz has built the project):
//   java -cp "$(cat pipelines/target/gz.classpath):pipelines/target/classes" bench/RealTuneSet.java <sample> <out> [held-out]
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.gzpipelines.evaluate.RealSample;
import org.gzpipelines.ingest.ImageFile;
import org.gzpipelines.synth.LabelsCsv;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

public final class RealTuneSet {

  private static final List<String> SPIRAL = List.of("Class1.2", "Class2.2", "Class3.2", "Class4.1", "Class10.2",
      "Class11.2", "Class5.2", "Class6.2");
  private static final List<String> NON_SPIRAL = List.of("Class1.1", "Class7.2", "Class6.2");

  public static void main(String[] args) throws IOException {
    Path sample = Path.of(args[0]);
    Path out = Path.of(args[1]);
    boolean heldOut = args.length > 2 && args[2].equals("held-out");
    Path images = Files.createDirectories(out.resolve("images_training_rev1"));
    SortedMap<Long, float[]> labels = new TreeMap<>();
    int[] counts = new int[2];
    for (String folder : new String[] {"spirals", "non_spirals"}) {
      boolean spiral = folder.equals("spirals");
      for (Path jpeg : RealSample.images(sample.resolve(folder))) {
        long id = ImageFile.galaxyId(jpeg.toString());
        if (RealSample.heldOut(id) != heldOut) {
          continue;
        }
        Files.copy(jpeg, images.resolve(id + ".jpg"), StandardCopyOption.REPLACE_EXISTING);
        float[] votes = new float[GalaxyZooTaxonomy.ANSWER_COUNT];
        for (String answer : spiral ? SPIRAL : NON_SPIRAL) {
          votes[GalaxyZooTaxonomy.answer(answer).index()] = 1;
        }
        labels.put(id, votes);
        counts[spiral ? 0 : 1]++;
      }
    }
    LabelsCsv.write(out.resolve("training_solutions_rev1.csv"),
        labels.keySet().stream().mapToLong(Long::longValue).toArray(), labels.values().toArray(float[][]::new));
    System.out.printf((heldOut ? "held-out" : "tune") + " half of %s: %d spirals, %d non-spirals in %s%n", sample, counts[0], counts[1], out);
  }
}
