package org.gzpipelines.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * One batch as plain Java arrays, as the reader thread assembles it: uint8 pixels HWC per image
 * back to back, 37 labels per image, and the galaxy ids.
 *
 * @param epoch the epoch this batch belongs to
 * @param index position of the batch in its epoch (0-based), for resumable data positions
 */
public record HostBatch(
    int size, int height, int width, int channels, byte[] pixels, float[] labels, long[] ids, int epoch, long index) {

  /**
   * Images as float NCHW in [0, 1]. The uint8 HWC bytes go to the engine as they are and the
   * transpose, cast and scaling run there: no per-pixel work (or boxing) in Java.
   */
  public NDArray images(NDManager manager) {
    NDArray raw = manager.create(ByteBuffer.wrap(pixels), new Shape(size, height, width, channels), DataType.UINT8);
    return raw.transpose(0, 3, 1, 2).toType(DataType.FLOAT32, false).divi(255f);
  }

  /** Labels as float N x 37. */
  public NDArray labels(NDManager manager) {
    return manager.create(labels, new Shape(size, GalaxyZooTaxonomy.ANSWER_COUNT));
  }
}
