/**
 * The Kafka sink: publishes each copy, with the primary's response when it comes in time, to one topic for diff
 * workers elsewhere in the fleet ({@link io.shadowcar.sink.kafka.KafkaShadowSink}; record layout in
 * {@link io.shadowcar.sink.kafka.ExchangeRecordFormat}; settings in {@link io.shadowcar.sink.kafka.KafkaShadowSinkConfig}).
 *
 * <p>Threading: {@code send} on the caller's event loop only counts and hands over; the producer is created, records
 * are encoded and {@code KafkaProducer.send} (with {@code max.block.ms=0}) is called on the sink's one thread; acks
 * are counted on the producer's network thread. Nothing here ever waits for a broker.
 */
package io.shadowcar.sink.kafka;
