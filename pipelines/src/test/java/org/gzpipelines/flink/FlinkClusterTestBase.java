package org.gzpipelines.flink;

import org.junit.jupiter.api.BeforeAll;

/**
 * What the tests against the real standalone cluster start from: {@link #cluster}, with the job
 * jar built and two live TaskManagers, whatever an earlier test did.
 */
abstract class FlinkClusterTestBase {

  static FlinkTestCluster cluster;

  @BeforeAll
  static void cluster() throws Exception {
    cluster = FlinkTestCluster.get();
    cluster.jobJar();
    cluster.start(); // start.sh brings back any TaskManager an earlier test killed
  }
}
