package io.shadowcar.sink;

import io.shadowcar.tee.CapturedResponse;
import io.shadowcar.tee.TeeEvent;

/**
 * A pair to compare: the primary's response and the shadow's response to the same request.
 *
 * @param event the copied request; its hold is already released, so do not keep its body
 * @param primary the primary's captured response, or {@code null} when the primary exchange failed
 * @param shadow the shadow's captured response
 */
public record ShadowExchange(TeeEvent event, CapturedResponse primary, CapturedResponse shadow) {}
