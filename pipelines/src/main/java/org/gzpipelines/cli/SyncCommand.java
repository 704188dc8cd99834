package org.gzpipelines.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.run.StopSignals;
import org.gzpipelines.tracking.Tracking;
import org.gzpipelines.tracking.TrackingException;
import org.gzpipelines.tracking.Uris;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gz sync}: uploads run folders that were tracked offline (or lost the server mid-run). */
@Command(
    name = "sync",
    header = "Upload local run folders to the MLflow server, each point once.",
    mixinStandardHelpOptions = true,
    description = "Upload local run folders to the MLflow tracking server: creates runs the server lacks and "
        + "completes runs it has only in part (only missing points, with their original steps and timestamps). "
        + "Syncing again uploads nothing.")
final class SyncCommand implements Callable<Integer> {

  @Parameters(
      arity = "0..*",
      paramLabel = "RUN_FOLDER|RUNS_DIR",
      description = "run folders, or runs directories to sync all their runs (default: $GZ_RUNS_DIR or ./runs)")
  List<Path> paths;

  @Option(names = "--tracking-uri", paramLabel = "URL", description = "the tracking server (default: $MLFLOW_TRACKING_URI)")
  String trackingUri;

  @Override
  public Integer call() {
    String uri = trackingUri != null ? trackingUri : System.getenv(Tracking.URI_ENV);
    if (uri == null || uri.isBlank()) {
      throw new UserError(
          "gz sync needs a tracking server: set " + Tracking.URI_ENV + " or --tracking-uri (start one"
              + " with infra/mlflow/start.sh)");
    }
    String runsEnv = System.getenv(Tracking.RUNS_DIR_ENV);
    Path runsDir = Path.of(runsEnv == null || runsEnv.isBlank() ? "runs" : runsEnv);
    List<Path> targets = paths == null || paths.isEmpty() ? List.of(runsDir) : paths;
    int[] uploaded = {0};
    try (Tracking tracking = Tracking.connect(uri, runsDir)) {
      for (Path target : targets) {
        tracking.sync(target, () -> StopSignals.requested().isPresent(), report -> {
          System.out.println(report);
          uploaded[0] += report.alreadySynced() ? 0 : 1;
        });
        StopSignals.check(String.format("%d run(s) uploaded to %s before the stop; each run is uploaded whole, and"
            + " the next gz sync sends what is left, nothing twice", uploaded[0], Uris.withoutUserInfo(uri)));
      }
    } catch (TrackingException e) {
      if (uploaded[0] > 0) {
        System.out.println(uploaded[0] + " run(s) uploaded to " + Uris.withoutUserInfo(uri));
      }
      // Tracking offline is no way to upload: the folders wait for the server, as they are.
      throw new UserError(e.getMessage().replace(TrackingException.OFFLINE_HINT, ", then run gz sync again"), e);
    }
    System.out.println(uploaded[0] + " run(s) uploaded to " + Uris.withoutUserInfo(uri));
    return 0;
  }
}
