// What one sideInput() call of a map side input costs on Beam 2.70's Direct runner, which rebuilds
// the map from every entry on each call (SideInputContainer.SideInputContainerSideInputReader.get
// -> InMemoryMultimapSideInputView.fromIterable); ingest used to make one call per image.
// Entries are file paths -> 37 floats, as ingest's file-to-label map was. docs/BENCHMARKS.md,
// "Ingest at scale". Run (after ./gz has built the project):
//   java -Xmx1g -cp "$(cat pipelines/target/gz.classpath)" bench/SideInputCost.java 5000 20000 40000 61578
import java.util.*;
import org.apache.beam.runners.core.InMemoryMultimapSideInputView;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.KV;

public class SideInputCost {
  public static void main(String[] a) {
    for (String s : a) {
      int n = Integer.parseInt(s);
      List<KV<String, float[]>> entries = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        entries.add(KV.of("/data/images_training_rev1/" + (100000 + i * 7) + ".jpg", new float[37]));
      }
      int calls = Math.max(20, 2_000_000 / n);
      for (int w = 0; w < 2; w++) { // the first pass warms the JIT up
        long t0 = System.nanoTime();
        long sink = 0;
        for (int c = 0; c < calls; c++) {
          var view = InMemoryMultimapSideInputView.fromIterable(StringUtf8Coder.of(), entries);
          sink += view.get(entries.get(c % n).getKey()).iterator().hasNext() ? 1 : 0;
        }
        double perCall = (System.nanoTime() - t0) / 1e6 / calls;
        if (w == 1) System.out.printf("n=%d: %.3f ms per c.sideInput() (%.1f ns per entry); x n elements = %.1f CPU-s per ingest%n", n, perCall, perCall * 1e6 / n, perCall * n / 1000);
      }
    }
  }
}
