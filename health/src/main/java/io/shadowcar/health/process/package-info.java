/**
 * Bounded child processes for the health module: {@link io.shadowcar.health.process.BoundedProcessRunner} runs one
 * command with a timeout in its own process group, kills the group on timeout and at exit, always reaps, and keeps the
 * last bytes of output in a {@link io.shadowcar.health.process.CapturedOutput}. Check scripts
 * ({@code check.ScriptRunner}) and template commands ({@code template.CommandRunner}) both run through it and map
 * its {@link io.shadowcar.health.process.ProcessOutcome} to their own results. Knows nothing of checks or templates.
 */
package io.shadowcar.health.process;
