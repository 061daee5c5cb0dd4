/**
 * The tee decision and capture: which requests are copied, where to, and the bounded copy of each one.
 *
 * <p>Flow: the proxy calls {@link io.shadowcar.tee.TeeRouter#open} for every request on the caller's event loop. The
 * router decides from the head alone (kill switch, route glob, method policy, sampling, declared length) and either
 * returns {@link io.shadowcar.proxy.tap.ExchangeTap#NONE} (counted in {@code shadowcar_tee_skipped_total}) or a
 * capture. The capture copies the body as it streams (bounded per request and globally), emits a
 * {@link io.shadowcar.tee.TeeEvent} at request end and then samples the primary's response for the diff.
 *
 * <p>Counting: skips (policy) go to {@code shadowcar_tee_skipped_total{reason}}, lost copies (limits, failures) to
 * {@code shadowcar_tee_dropped_total{reason}}, delivered ones to {@code shadowcar_tee_copies_total{sink,result}}; see
 * {@link io.shadowcar.tee.DropReason} and {@link io.shadowcar.tee.TeeMetrics}. Nothing here does I/O.
 */
package io.shadowcar.tee;
