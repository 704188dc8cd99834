package org.gzpipelines.tracking;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** What the tests against the real MLflow server start from: its URI, its REST API, a temp folder. */
abstract class ServerTestBase {
  static String uri;
  static RestApi rest;
  @TempDir Path tmp;

  @BeforeAll
  static void server() {
    uri = MlflowTestServer.shared();
    rest = new RestApi(uri);
  }
}
