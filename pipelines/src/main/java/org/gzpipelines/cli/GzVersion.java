package org.gzpipelines.cli;

import picocli.CommandLine.IVersionProvider;

/** Prints the project version and the versions of the stack it runs on. */
final class GzVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Gz.class.getPackage().getImplementationVersion();
    return new String[] {
      "gz " + (version == null ? "(development build)" : version),
      "Java " + System.getProperty("java.version"),
    };
  }
}
