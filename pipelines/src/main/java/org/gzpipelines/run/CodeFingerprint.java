package org.gzpipelines.run;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A SHA-256 of the compiled classes of one package, so that {@code gz run} redoes a stage whose
 * output depends on code as well as on its parameters. Why: the synthetic sky is made by the
 * generator's code; after an update that changes the generator, the same {@code synth:} section
 * would otherwise reuse the old images silently (found while tuning the generator, issue 12).
 * Hashes the class files themselves, from the classes folder or the jar the package was loaded
 * from, so a rebuild without a change keeps the fingerprint.
 */
public final class CodeFingerprint {
  private CodeFingerprint() {}

  /** The fingerprint of {@code anchor}'s package (its classes, not its subpackages'). */
  public static String of(Class<?> anchor) {
    String folder = anchor.getPackageName().replace('.', '/') + "/";
    Hasher hasher = Hashing.sha256().newHasher();
    try {
      Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.list(location.resolve(folder))) {
          for (Path f : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
            hasher.putUnencodedChars(f.getFileName().toString()).putBytes(Files.readAllBytes(f));
          }
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          List<JarEntry> entries = jar.stream()
              .filter(e -> e.getName().startsWith(folder) && e.getName().endsWith(".class")
                  && e.getName().indexOf('/', folder.length()) < 0)
              .sorted(Comparator.comparing(JarEntry::getName))
              .toList();
          for (JarEntry e : entries) {
            try (InputStream in = jar.getInputStream(e)) {
              hasher.putUnencodedChars(e.getName()).putBytes(in.readAllBytes());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the classes of " + anchor.getPackageName(), e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return hasher.hash().toString();
  }
}
