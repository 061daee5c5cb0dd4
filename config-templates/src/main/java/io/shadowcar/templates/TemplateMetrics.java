package io.shadowcar.templates;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Metric names of the template renderer. Tag values are bounded: {@code template} is a name from local config,
 * {@code result} an enum.
 */
public final class TemplateMetrics {

  /** Renders by outcome; Prometheus: {@code shadowcar_template_renders_total{template,result}}. */
  public static final String RENDERS = "shadowcar.template.renders";
  /** Commands run after a write; Prometheus: {@code shadowcar_template_commands_total{template,result}}. */
  public static final String COMMANDS = "shadowcar.template.commands";
  public static final String TAG_TEMPLATE = "template";
  public static final String TAG_RESULT = "result";

  private final MeterRegistry registry;

  TemplateMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(RenderReport report) {
    Counter.builder(RENDERS)
        .description("Template renders by outcome")
        .tag(TAG_TEMPLATE, report.template())
        .tag(TAG_RESULT, report.result().tag())
        .register(registry)
        .increment();
    report.command().ifPresent(command -> Counter.builder(COMMANDS)
        .description("Template commands by outcome")
        .tag(TAG_TEMPLATE, report.template())
        .tag(TAG_RESULT, command.outcome().tag())
        .register(registry)
        .increment());
  }
}
