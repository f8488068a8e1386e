package io.switchboard.http;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Binds the admin API; the binding is released in coordinated shutdown's service-unbind phase. */
public final class HttpApi extends AllDirectives {
  private HttpApi() {}

  /** The routes with JSON error handling around them. */
  public static Route sealed(Route routes) {
    HttpApi d = new HttpApi();
    return d.handleExceptions(ApiErrors.exceptions(), () -> d.handleRejections(ApiErrors.rejections(), () -> routes));
  }

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, HttpApiSettings settings, Route routes) {
    return Http.get(system).newServerAt(settings.bindHost(), settings.port()).bind(sealed(routes))
        .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(5), system));
  }
}
