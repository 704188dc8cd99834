package org.gzpipelines.flink;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.gzpipelines.errors.UserError;

/**
 * What a Flink cluster needs to run this project's pipelines: the shaded job jar (every
 * dependency, built by the {@code flink-jar} Maven profile) and, when running from a build tree,
 * the freshly compiled classes in front of it, so the cluster runs exactly the code that runs
 * here and the 200 MB jar only needs rebuilding when the dependencies (the POMs) change.
 */
public final class JobJar {

  /** The command that builds the job jar, from the repository root. */
  public static final String BUILD_COMMAND = "mvn -B -pl pipelines -am package -Pflink-jar -DskipTests";

  /** Overrides where the job jar is looked for. */
  public static final String ENV_JOB_JAR = "GZ_JOB_JAR";

  private JobJar() {}

  /** The files for Beam's {@code filesToStage}: compiled classes (if any), then the job jar. */
  public static List<String> filesToStage() {
    Path home = codeSource();
    List<String> files = new ArrayList<>();
    if (Files.isDirectory(home)) {
      files.add(home.toString()); // Beam zips a directory into a jar when it stages it
    }
    files.add(locate().toString());
    return files;
  }

  /**
   * Where Beam writes the jar it zips compiled classes into before staging them: the build tree's
   * {@code target/} (which {@code mvn clean} empties), as Beam otherwise uses the temp folder and
   * each code version left a jar there, named by its content's hash, for good. Empty when this
   * code runs from a jar, which has nothing to zip.
   */
  public static Optional<Path> classesJarFolder() {
    Path home = codeSource();
    return Files.isDirectory(home) ? Optional.of(home.getParent()) : Optional.empty();
  }

  /** The job jar: $GZ_JOB_JAR, the jar this code runs from, or pipelines/target/*-job.jar. */
  public static Path locate() {
    String override = System.getenv(ENV_JOB_JAR);
    if (override != null && !override.isBlank()) {
      Path jar = Path.of(override);
      if (!Files.isRegularFile(jar)) {
        throw new UserError(ENV_JOB_JAR + "=" + override + " is not a file; unset it or point it at the -job.jar built by `" + BUILD_COMMAND + "`");
      }
      return jar;
    }
    Path home = codeSource();
    if (Files.isRegularFile(home) && home.getFileName().toString().endsWith("-job.jar")) {
      return home;
    }
    // home is <repo>/pipelines/target/classes
    Path target = home.getParent();
    Path root = target.getParent().getParent();
    Path jar = newestJobJar(target)
        .orElseThrow(() -> new UserError("--runner flink needs the job jar, and there is none under " + target
            + ". Build it with `" + BUILD_COMMAND + "` in " + root + " (./gz builds it for you)."));
    FileTime built = modified(jar);
    for (Path pom : poms(root)) {
      if (modified(pom).compareTo(built) > 0) {
        throw new UserError(pom + " changed after the job jar " + jar.getFileName()
            + " was built, so its dependencies may be out of date. Rebuild it with `" + BUILD_COMMAND + "` in " + root + ".");
      }
    }
    return jar;
  }

  /** The root POM and the modules' POMs: the dependencies the job jar was built from. */
  private static List<Path> poms(Path root) {
    try (Stream<Path> dirs = Files.list(root)) {
      return Stream.concat(Stream.of(root), dirs.filter(Files::isDirectory))
          .map(d -> d.resolve("pom.xml"))
          .filter(Files::isRegularFile)
          .toList();
    } catch (IOException e) {
      throw new UserError("cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  private static Optional<Path> newestJobJar(Path target) {
    if (!Files.isDirectory(target)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches("gz-pipelines-.*-job\\.jar"))
          .max(Comparator.comparing(JobJar::modified));
    } catch (IOException e) {
      throw new UserError("cannot list " + target + ": " + e.getMessage(), e);
    }
  }

  private static Path codeSource() {
    try {
      return Path.of(JobJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + JobJar.class, e);
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new UserError("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
