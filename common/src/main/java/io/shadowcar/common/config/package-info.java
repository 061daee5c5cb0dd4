/**
 * The one config convention every module follows.
 *
 * <ul>
 *   <li>A module declares each key once, as a {@link io.shadowcar.common.config.Setting} constant in its
 *       {@code *Settings} class: name, default, accepted values, meaning.
 *   <li>Its binder reads those settings from a {@link io.shadowcar.common.config.ConfigView} and builds immutable
 *       {@code *Config} records; a record's compact constructor rejects a bad field with
 *       {@link io.shadowcar.common.config.InvalidValueException}, which the view maps to the field's key.
 *   <li>Problems are {@link io.shadowcar.common.config.ConfigProblem} records (key, value, expectation): collected,
 *       never re-parsed from text.
 *   <li>The launcher gathers all declarations in a {@link io.shadowcar.common.config.SettingCatalog}: unknown
 *       {@code shadowcar.*} keys are errors with a "did you mean", and docs/configuration.md is generated from it.
 * </ul>
 */
package io.shadowcar.common.config;
