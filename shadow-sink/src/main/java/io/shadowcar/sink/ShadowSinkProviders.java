package io.shadowcar.sink;

import io.shadowcar.common.config.ConfigView;
import io.shadowcar.common.config.Setting;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sink providers on the class path, found once with {@link ServiceLoader} and sorted by tag: the launcher's one
 * way to learn which sinks exist, which keys they declare and which of them a snapshot configures.
 */
public final class ShadowSinkProviders {

  private static final List<ShadowSinkProvider<?>> ALL = load();

  private ShadowSinkProviders() {}

  /** Every provider found, by tag; the same instances on every call. */
  public static List<ShadowSinkProvider<?>> loadAll() {
    return ALL;
  }

  /** Every tag a route may name, sorted ({@code http}, {@code kafka}, ...). */
  public static Set<String> tags() {
    Set<String> tags = new TreeSet<>();
    ALL.forEach(provider -> tags.add(provider.tag()));
    return tags;
  }

  /** Every setting every provider declares, for the launcher's catalog of known keys. */
  public static List<Setting<?>> settings() {
    List<Setting<?>> settings = new ArrayList<>();
    ALL.forEach(provider -> settings.addAll(provider.settings()));
    return settings;
  }

  /** The sinks {@code view} configures, by tag; problems go to the view. */
  public static List<BoundSink<?>> bindAll(ConfigView view) {
    List<BoundSink<?>> bound = new ArrayList<>();
    for (ShadowSinkProvider<?> provider : ALL) {
      bind(provider, view, bound);
    }
    return List.copyOf(bound);
  }

  private static <C> void bind(ShadowSinkProvider<C> provider, ConfigView view, List<BoundSink<?>> out) {
    provider.bind(view).ifPresent(config -> out.add(new BoundSink<>(provider, config)));
  }

  @SuppressWarnings("rawtypes")
  private static List<ShadowSinkProvider<?>> load() {
    List<ShadowSinkProvider<?>> found = new ArrayList<>();
    for (ShadowSinkProvider provider : ServiceLoader.load(ShadowSinkProvider.class,
        ShadowSinkProvider.class.getClassLoader())) {
      found.add(provider);
    }
    found.sort(Comparator.comparing(ShadowSinkProvider::tag));
    for (int i = 1; i < found.size(); i++) {
      if (found.get(i).tag().equals(found.get(i - 1).tag())) {
        throw new IllegalStateException("sink tag " + found.get(i).tag() + " provided twice: "
            + found.get(i - 1).getClass().getName() + ", " + found.get(i).getClass().getName());
      }
    }
    return List.copyOf(found);
  }
}
