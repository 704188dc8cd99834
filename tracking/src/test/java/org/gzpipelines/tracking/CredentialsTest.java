package org.gzpipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tracking URL with credentials ({@code http://user:token@host}) against a server that demands
 * them (the real MLflow server behind {@link AuthProxy}): every request authenticates, and the
 * token is in no file of the run folder, no param or tag on the server, and nothing printed.
 */
class CredentialsTest {
  private static final String USER = "gz-user";
  private static final String SECRET = "s3cr3t-T0ken";

  @TempDir Path tmp;
  private PrintStream stderr;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @BeforeEach
  void captureStderr() {
    stderr = System.err;
    System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8)); // where slf4j-simple logs
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(stderr);
    stderr.print(printed.toString(StandardCharsets.UTF_8));
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void userInfoAuthenticatesEveryRequestAndIsStoredAndPrintedNowhere() throws Exception {
    String server = MlflowTestServer.shared();
    Path runs = tmp.resolve("runs");
    Path data = Files.createDirectories(tmp.resolve("data/gz2"));
    Path report = Files.writeString(tmp.resolve("report.txt"), "rmse 0.1\n");
    String runId;
    Path dir;
    try (AuthProxy proxy = new AuthProxy(server, basic(USER, SECRET))) {
      String uri = proxy.url().replace("http://", "http://" + USER + ":" + SECRET + "@") + "/";
      try (Tracking tracking = Tracking.connect(uri, runs)) {
        assertEquals(Optional.of(proxy.url()), tracking.trackingUri());
        assertEquals("MLflow at " + proxy.url(), tracking.destination(), "the console line names no credentials");
        TrackedRun run = tracking.startRun("credentials-" + UUID.randomUUID(), "with-token");
        runId = run.runId();
        dir = run.localDir();
        run.logParam("train.data", data.toString());
        run.logParam("server", uri);
        run.setTag("gz.note", "sent to " + uri);
        for (int step = 0; step < 3; step++) {
          run.logMetric("loss", 1.0 / (step + 1), step);
        }
        run.logArtifact(report, "");
        Path model = Files.createDirectories(tmp.resolve("best-model"));
        Files.copy(report, model.resolve("report.txt"));
        run.logModel(model, Map.of(), List.of()); // MLflow 3's logged models, over java.net.http
        run.end(RunStatus.FINISHED);
        assertEquals(3, tracking.metricHistory(runId, "loss").size()); // read over java.net.http
        ModelVersion version = tracking.registerModel(runId, "best-model", "credentials-" + UUID.randomUUID()).orElseThrow();
        Path fetched = tracking.downloadModel(version.uri(), tmp.resolve("cache")).dir();
        assertTrue(Files.isRegularFile(fetched.resolve("report.txt")));
        assertTrue(LocalRunFolder.open(dir).readMeta().synced, "nothing failed, so everything is on the server");
      }
      assertEquals(List.of(), proxy.refused(), "requests sent without the credentials");
      assertTrue(proxy.forwarded().stream().anyMatch(r -> r.startsWith("PUT /api/2.0/mlflow-artifacts/artifacts/")),
          "the artifact went through the authenticated server: " + proxy.forwarded());

      RestApi rest = new RestApi(server);
      Map<String, String> params = rest.params(runId);
      assertEquals(SharedPaths.ELIDED + "gz2", params.get("train.data"));
      assertEquals(proxy.url() + "/", params.get("server"));
      Map<String, String> tags = rest.tags(runId);
      assertEquals("sent to " + proxy.url() + "/", tags.get("gz.note"));
      for (Map.Entry<String, String> e : tags.entrySet()) {
        assertFalse(e.getValue().contains(SECRET), e.toString());
      }
      assertArrayEquals(Files.readAllBytes(report), rest.artifact(runId, "report.txt"));

      RunMeta meta = LocalRunFolder.open(dir).readMeta();
      assertEquals(proxy.url(), meta.trackingUri);
      assertEquals(data.toString(), meta.localValues.get("params.train.data"), "the real path stays local");
      assertNoFileMentionsTheSecret(dir);
    }
    assertFalse(printed.toString(StandardCharsets.UTF_8).contains(SECRET), printed.toString(StandardCharsets.UTF_8));
  }

  @Test
  void warningsAndErrorsNameTheServerWithoutCredentials() throws IOException {
    String down = "127.0.0.1:" + MlflowTestServer.freePort();
    Path runs = tmp.resolve("runs");
    try (Tracking tracking = Tracking.connect("http://" + USER + ":" + SECRET + "@" + down, runs, 5_000)) {
      TrackedRun run = tracking.startRun("credentials", "server-down");
      run.end(RunStatus.FINISHED);
      assertNull(LocalRunFolder.open(run.localDir()).readMeta().trackingUri, "tracked locally only");
      assertTrue(run.lostServer(), "and knows it, to say so and remind of gz sync");
      assertNoFileMentionsTheSecret(run.localDir());
    }
    String warnings = printed.toString(StandardCharsets.UTF_8);
    assertTrue(warnings.contains("http://" + down), "the warning names the server: " + warnings);
    assertFalse(warnings.contains(SECRET), warnings);

    for (String bad : List.of("ftp://" + USER + ":" + SECRET + "@host/x", "http://" + USER + ":" + SECRET + "@host/a b")) {
      TrackingException e = assertThrows(TrackingException.class, () -> Tracking.connect(bad, runs));
      assertFalse(e.getMessage().contains(SECRET), e.getMessage());
      assertTrue(e.getMessage().contains("host"), e.getMessage());
    }
  }

  @Test
  void credentialsFromTheEnvironmentAreSentAsMlflowsClientsSendThem() throws Exception {
    String server = MlflowTestServer.shared();
    try (AuthProxy proxy = new AuthProxy(server, "Bearer " + SECRET);
        MlflowRemote remote = new MlflowRemote(
            ServerAddress.of(proxy.url(), Map.of(ServerAddress.TOKEN_ENV, SECRET)), 30_000)) {
      String experiment = remote.experimentId("credentials-env-" + UUID.randomUUID());
      String runId = remote.createRun(experiment, "bearer", System.currentTimeMillis(), Map.of()).getRunId();
      assertEquals(List.of(), remote.metricHistory(runId, "loss"));
      assertEquals(List.of(), proxy.refused());
    }
    ServerAddress basic = ServerAddress.of("http://ignored:x@h:1", Map.of(
        ServerAddress.USERNAME_ENV, USER, ServerAddress.PASSWORD_ENV, SECRET));
    assertEquals(Optional.of(basic(USER, SECRET)), basic.authorization());
    assertEquals("http://h:1", basic.url());
    // A ':' in a password travels percent-encoded in the URL.
    assertEquals(Optional.of(basic(USER, "a:b+c")), ServerAddress.of("http://" + USER + ":a%3Ab+c@h", Map.of()).authorization());
  }

  private static void assertNoFileMentionsTheSecret(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(SECRET), f.toString());
      }
    }
  }
}
