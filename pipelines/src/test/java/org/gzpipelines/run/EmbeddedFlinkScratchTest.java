package org.gzpipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.gzpipelines.errors.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration folder embedded Flink gets, read back as Flink reads it. */
class EmbeddedFlinkScratchTest {

  @TempDir Path temp;

  @Test
  void withoutAUserConfigurationTheTempFoldersAreTheScratchFolder() {
    EmbeddedFlinkScratch.Folder folder = EmbeddedFlinkScratch.create(temp, null);
    Path root = folder.confDir();
    Configuration read = GlobalConfiguration.loadConfiguration(root.toString());
    assertEquals(root.resolve("tmp").toString(), read.get(CoreOptions.TMP_DIRS));
    assertEquals(root.resolve("tmp").toString(), read.get(WebOptions.TMP_DIR));
    // Its servers listen on loopback only (the blob store and data exchange were on every interface).
    assertEquals("127.0.0.1", read.get(org.apache.flink.configuration.JobManagerOptions.BIND_HOST));
    assertEquals("127.0.0.1", read.get(TaskManagerOptions.BIND_HOST));
    assertEquals("127.0.0.1", read.get(org.apache.flink.configuration.RestOptions.BIND_ADDRESS));
    // REST ports known in advance (Ctrl-C cancels the job there), a few in case one is still held.
    assertTrue(read.get(org.apache.flink.configuration.RestOptions.BIND_PORT).matches("\\d+-\\d+"),
        read.get(org.apache.flink.configuration.RestOptions.BIND_PORT));
    String[] range = read.get(org.apache.flink.configuration.RestOptions.BIND_PORT).split("-");
    assertEquals(java.util.stream.IntStream.rangeClosed(Integer.parseInt(range[0]), Integer.parseInt(range[1]))
        .mapToObj(port -> "127.0.0.1:" + port).toList(), folder.restMasters(), "where Ctrl-C looks for the job");
  }

  /** A Flink user's FLINK_CONF_DIR (here: task slots, and their own temp folder) still reaches the mini-cluster. */
  @Test
  void theUsersFlinkConfDirIsKeptWithItsOwnTempFolder() throws Exception {
    Path user = Files.createDirectory(temp.resolve("conf"));
    Files.writeString(user.resolve("config.yaml"), "taskmanager:\n  numberOfTaskSlots: 3\n  bind-host: 0.0.0.0\n"
        + "io:\n  tmp:\n    dirs: /var/tmp/mine\n");
    Configuration read = GlobalConfiguration.loadConfiguration(EmbeddedFlinkScratch.create(temp, user.toString()).confDir().toString());
    assertEquals(3, read.get(TaskManagerOptions.NUM_TASK_SLOTS));
    assertEquals("/var/tmp/mine", read.get(CoreOptions.TMP_DIRS));
    assertEquals("0.0.0.0", read.get(TaskManagerOptions.BIND_HOST), "the user's choice stands");
  }

  @Test
  void aFlinkConfDirThatIsNoFolderIsAUserError() {
    UserError error = assertThrows(UserError.class, () -> EmbeddedFlinkScratch.create(temp, temp.resolve("nowhere").toString()));
    assertTrue(error.getMessage().startsWith("FLINK_CONF_DIR=" + temp.resolve("nowhere")), error.getMessage());
  }

  @Test
  void aFlinkConfDirWhoseYamlDoesNotParseIsAOneLineUserError() throws Exception {
    Path user = Files.createDirectory(temp.resolve("broken"));
    Files.writeString(user.resolve("config.yaml"), "io:\n  tmp:\n dirs: [\n");
    UserError error = assertThrows(UserError.class, () -> EmbeddedFlinkScratch.create(temp, user.toString()));
    assertTrue(error.getMessage().startsWith("FLINK_CONF_DIR=" + user + " cannot be read as a Flink configuration folder ("),
        error.getMessage());
    assertEquals(1, error.getMessage().lines().count(), error.getMessage());
  }

  /** A kill -9'd gz skips its shutdown hook; the next gz removes its folder, and never a running one's. */
  @Test
  void theFoldersOfProcessesThatNoLongerRunAreRemoved() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path orphan = Files.createDirectories(temp.resolve("gz-flink-local-" + gone.pid() + "-1/tmp"));
    Files.writeString(orphan.resolve("flink-rpc-akka.jar"), "22 MB");
    Path running = Files.createDirectory(temp.resolve("gz-flink-local-" + ProcessHandle.current().pid() + "-2"));
    EmbeddedFlinkScratch.create(temp, null);
    assertFalse(Files.exists(orphan.getParent()));
    assertTrue(Files.exists(running));
  }
}
