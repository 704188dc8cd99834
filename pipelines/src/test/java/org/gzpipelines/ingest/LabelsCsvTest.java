package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsCsvTest {

  @Test
  void parsesAValidRow() {
    LabelsCsv.Parsed row = LabelsCsv.parse(Fixtures.labelLine(100008));
    assertTrue(row.ok());
    assertEquals(100008L, row.id());
    assertEquals(Fixtures.labels(100008)[36], row.labels()[36], 1e-6);
  }

  @Test
  void rejectsWrongColumnCount() {
    LabelsCsv.Parsed row = LabelsCsv.parse("100008,0.5,0.5");
    assertEquals(Problem.BAD_LABEL_ROW, row.problem());
    assertTrue(row.error().contains("3 columns"), row.error());
    assertEquals(100008L, row.id());
  }

  @Test
  void rejectsNanAndOutOfRangeNamingTheColumn() {
    String nan = Fixtures.labelLine(7).replaceFirst(",[^,]*", ",NaN");
    assertEquals(Problem.BAD_LABEL_ROW, LabelsCsv.parse(nan).problem());
    assertTrue(LabelsCsv.parse(nan).error().contains("Class1.1"));
    String big = Fixtures.labelLine(7).replaceAll(",[^,]*$", ",1.5");
    assertTrue(LabelsCsv.parse(big).error().contains("Class11.6 = 1.5"), LabelsCsv.parse(big).error());
    String text = Fixtures.labelLine(7).replaceAll(",[^,]*$", ",abc");
    assertTrue(LabelsCsv.parse(text).error().contains("not a number"));
  }

  @Test
  void rejectsUnparsableId() {
    LabelsCsv.Parsed row = LabelsCsv.parse(Fixtures.labelLine(7).replaceFirst("^7", "G7x"));
    assertEquals(Problem.BAD_LABEL_ROW, row.problem());
    assertNull(row.id());
  }

  @Test
  void headerMustBeKaggleOrder(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.csv");
    Files.writeString(good, "\uFEFF" + GalaxyZooTaxonomy.csvHeader() + "\n");
    LabelsCsv.checkHeader(good);
    Path swapped = dir.resolve("swapped.csv");
    Files.writeString(swapped, GalaxyZooTaxonomy.csvHeader().replace("Class1.1,Class1.2", "Class1.2,Class1.1") + "\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelsCsv.checkHeader(swapped));
    assertTrue(e.getMessage().contains("column 2 is 'Class1.2', expected Class1.1"), e.getMessage());
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "");
    assertThrows(IllegalArgumentException.class, () -> LabelsCsv.checkHeader(empty));
    Path short_ = dir.resolve("short.csv");
    Files.writeString(short_, GalaxyZooTaxonomy.csvHeader().replace(",Class5.3", "") + "\n");
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> LabelsCsv.checkHeader(short_));
    assertTrue(missing.getMessage().contains("the header has 37 columns, expected 38; missing: Class5.3"), missing.getMessage());
    Path semicolons = dir.resolve("semicolons.csv");
    Files.writeString(semicolons, GalaxyZooTaxonomy.csvHeader().replace(",", ";") + "\n");
    IllegalArgumentException separated = assertThrows(IllegalArgumentException.class, () -> LabelsCsv.checkHeader(semicolons));
    assertTrue(separated.getMessage().contains("line 1: the columns are separated by ';', not by commas"), separated.getMessage());
  }

  @Test
  void cellsQuotedAsRAndPythonWriteThemAreRead(@TempDir Path dir) throws Exception {
    // R's write.csv and Python's csv.QUOTE_ALL / QUOTE_NONNUMERIC quote names, or every cell.
    Path quoted = dir.resolve("quoted.csv");
    Files.writeString(quoted, "\"" + GalaxyZooTaxonomy.csvHeader().replace(",", "\",\"") + "\"\r\n");
    LabelsCsv.checkHeader(quoted);
    String line = Fixtures.labelLine(100008);
    LabelsCsv.Parsed all = LabelsCsv.parse("\"" + line.replace(",", "\",\"") + "\"");
    assertTrue(all.ok(), all.error());
    assertEquals(100008L, all.id());
    assertEquals(LabelsCsv.parse(line).labels()[36], all.labels()[36]);
    LabelsCsv.Parsed comma = LabelsCsv.parse(line.replaceFirst(",[^,]*", ",\"0,5\""));
    assertEquals(Problem.BAD_LABEL_ROW, comma.problem(), "a quoted comma is no number: the row is named, not misread");
  }

  @Test
  void aZipWithoutACsvOrAFileThatIsNoCsvIsNamed(@TempDir Path dir) throws Exception {
    Path zip = dir.resolve("images.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("100008.jpg"));
      out.write(new byte[] {(byte) 0xff, (byte) 0xd8});
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelsCsv.checkHeader(zip)).getMessage()
        .equals(zip + " holds no .csv file: give the labels CSV, or a .zip holding it"));
    Path binary = dir.resolve("labels.csv");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16});
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelsCsv.checkHeader(binary)).getMessage()
        .startsWith(binary + " line 1: the header has 1 columns, expected 38"), "not a decoding exception");
  }

  @Test
  void aGalaxyIdIsAWholeNumberThatFitsALong() {
    assertEquals(1237648720693755918L, LabelsCsv.parseId("1237648720693755918"), "an SDSS objid, 19 digits");
    assertNull(LabelsCsv.parseId("9999999999999999999"), "19 digits above Long.MAX_VALUE");
    assertNull(LabelsCsv.parseId("12345678901234567890"));
    assertNull(LabelsCsv.parseId("J123456.78+123456.7"));
  }
}
