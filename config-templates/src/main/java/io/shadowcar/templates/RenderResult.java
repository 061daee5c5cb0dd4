package io.shadowcar.templates;

import java.util.Locale;

/** How one render of a template ended; {@link #tag()} is the {@code result} tag of the renders metric. */
public enum RenderResult {
  /** New bytes replaced the target atomically (temp file + rename). */
  WRITTEN,
  /** New bytes were written into the target in place (rename impossible, fallback configured): not atomic. */
  WRITTEN_IN_PLACE,
  /** The rendered bytes equal the target's: the file was not touched. */
  UNCHANGED,
  /** A used key has no value and no default: the target was left as it was. */
  MISSING_KEY,
  /** The source is not a valid template (unclosed or empty placeholder): the target was left as it was. */
  INVALID_TEMPLATE,
  /** The source could not be read: the target was left as it was. */
  READ_FAILED,
  /** Writing the temporary file, the backup or the permissions failed: the target was left as it was. */
  WRITE_FAILED,
  /** The target cannot be replaced by a rename and no in-place fallback is configured: left as it was. */
  RENAME_FAILED;

  public boolean failed() {
    return ordinal() >= MISSING_KEY.ordinal();
  }

  /** True when the target now holds new bytes (the command runs after these). */
  public boolean wrote() {
    return this == WRITTEN || this == WRITTEN_IN_PLACE;
  }

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
