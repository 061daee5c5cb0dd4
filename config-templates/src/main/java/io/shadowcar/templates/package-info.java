/**
 * Templated properties files rendered from the dynamic config, like consul-template.
 *
 * <ul>
 *   <li>{@link io.shadowcar.templates.TemplateBinder} binds {@code shadowcar.templates.NAME.*} to
 *       {@link io.shadowcar.templates.TemplateConfig} records.
 *   <li>{@link io.shadowcar.templates.TemplateRenderer} renders at start ({@code renderAll}) and on every config
 *       change that touches a used key ({@code onConfigChange}), on its own worker thread; it is the
 *       {@code "templates"} section of {@code /api/status}.
 *   <li>{@link io.shadowcar.templates.TemplateCli} does {@code --once} and {@code --dry}.
 * </ul>
 *
 * <p>Syntax: {@code ${key}}, {@code ${key:default}}, and {@code $${} for a literal {@code ${} (see
 * {@link io.shadowcar.templates.PropertyTemplate}). A key with no value and no default fails the render: the
 * last good file stays and the failure shows in the status and the {@code shadowcar_template_renders_total} metric.
 *
 * <p>Writes: only when the bytes change (an unchanged render keeps mtime and inode); temp file + fsync + atomic
 * rename + directory fsync, so a reader never sees a partial file. A bind-mounted single file cannot be renamed over:
 * that fails loudly unless {@code inPlaceFallback=true}, which writes in place (not atomic). The command runs only
 * after a write, under {@code /bin/sh -c}, in its own process group ({@code setsid}) like a check script: a timeout
 * kills the whole group, double-forked children included, and whatever the shell leaves running is killed when it
 * exits (see {@link io.shadowcar.health.process.BoundedProcessRunner}).
 *
 * <p>The source file is re-read at every render but not watched: an edit to it shows at the next render (a used
 * key's change, or a restart). A template whose source cannot be read or parsed is retried on every config change.
 */
package io.shadowcar.templates;
