package io.shadowcar.diff;

/** How a field differs between the primary (expected) and the candidate (actual). */
public enum DifferenceKind {
  /** Same type, other value (status, header value, JSON scalar, text line, binary hash). */
  VALUE_CHANGED,
  /** Another JSON type at the same path (number became string, object became null, ...). */
  TYPE_CHANGED,
  /** Present in the primary, absent in the candidate. */
  MISSING,
  /** Absent in the primary, present in the candidate. */
  EXTRA,
  /** An array (or a repeated form key) has another number of elements; elements are not compared then. */
  ARRAY_LENGTH,
  /** An array holds the same elements (as a multiset) in another order. */
  ORDER_ONLY
}
