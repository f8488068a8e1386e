package io.switchboard.http.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.switchboard.http.auth.ApiAuth;
import io.switchboard.http.auth.CredentialHashing;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document is valid OpenAPI 3 (checked by the swagger-parser validator, with
 * every $ref resolved) and lists exactly the operations the API serves: the admin routes' table,
 * the status endpoint and the document itself.
 */
class OpenApiDocumentTest {

  @Test
  void theDocumentIsValidOpenApi3() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(AdminRoutes.openApiDocument(), null, options);
    assertEquals(List.of(), result.getMessages() == null ? List.of() : result.getMessages());
    OpenAPI api = result.getOpenAPI();
    assertNotNull(api);
    assertEquals("bearer", api.getComponents().getSecuritySchemes().get("bearer").getScheme());
    assertNotNull(api.getComponents().getSchemas().get("Error"), "the error shape is documented");
  }

  @Test
  void theValidatorRejectsABrokenDocument() {
    // Proves the check above can fail: an operation without responses and a dangling $ref.
    String broken = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"x\",\"version\":\"1\"},\"paths\":"
        + "{\"/a\":{\"get\":{\"requestBody\":{\"$ref\":\"#/components/requestBodies/Missing\"}}}}}";
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    List<String> messages = new OpenAPIV3Parser().readContents(broken, null, options).getMessages();
    assertEquals(true, messages != null && !messages.isEmpty(), "no messages for a broken document");
  }

  @Test
  void everyServedOperationIsDocumentedAndNothingElse() {
    OpenAPI api = new OpenAPIV3Parser().readContents(AdminRoutes.openApiDocument(), null, null).getOpenAPI();
    Set<String> documented = new TreeSet<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
        .forEach(method -> documented.add(method.name() + " " + path)));

    ActorTestKit kit = ActorTestKit.create("OpenApiDocumentTest");
    try (CredentialHashing hashing = new CredentialHashing(1, 1)) {
      AdminRoutes routes = new AdminRoutes(kit.system(), new ApiAuth(kit.system(), hashing, Duration.ofSeconds(1)),
          hashing, AdminApiServer.SETTINGS);
      Set<String> served = new TreeSet<>();
      routes.endpoints().forEach(e -> served.add(e.method().value().toUpperCase(Locale.ROOT) + " " + e.path()));
      served.add(PathItem.HttpMethod.GET.name() + " " + AdminRoutes.OPENAPI_PATH);
      served.add("GET /api/v1/status"); // StatusRoutes, composed beside the admin routes
      served.addAll(io.switchboard.http.calls.CallRoutes.OPERATIONS);
      assertEquals(served, documented);
    } finally {
      kit.shutdownTestKit();
    }
  }
}
