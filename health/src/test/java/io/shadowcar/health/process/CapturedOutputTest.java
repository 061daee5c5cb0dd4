package io.shadowcar.health.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CapturedOutputTest {

  @Test
  void keepsShortOutputWholeWithoutPrefix() {
    CapturedOutput output = new CapturedOutput(16);
    output.write("hello ");
    output.write("world");
    assertEquals("hello world", output.toString());
    assertEquals(11, output.total());
  }

  @Test
  void keepsTheLastBytesOfManySmallWritesWithPrefix() {
    CapturedOutput output = new CapturedOutput(8);
    for (int i = 0; i < 10; i++) {
      output.write(Integer.toString(i));
    }
    output.write("abc");
    assertEquals("Captured 8 of 13 bytes\n" + "56789abc", output.toString());
  }

  @Test
  void keepsTheLastBytesOfOneBigWriteAfterAnUnalignedStart() {
    CapturedOutput output = new CapturedOutput(8);
    output.write("xyz");
    byte[] big = "0123456789ABCDEFGHIJ".getBytes(StandardCharsets.US_ASCII);
    output.write(big, 0, big.length);
    output.write("!");
    assertEquals("Captured 8 of 24 bytes\n" + "DEFGHIJ!", output.toString());
  }

  @Test
  void writingExactlyTheCapacityIsNotCut() {
    CapturedOutput output = new CapturedOutput(CapturedOutput.DEFAULT_CAPACITY);
    output.write("x".repeat(CapturedOutput.DEFAULT_CAPACITY));
    assertTrue(output.toString().startsWith("xxx"));
    assertEquals(CapturedOutput.DEFAULT_CAPACITY, output.toString().length());
  }
}
