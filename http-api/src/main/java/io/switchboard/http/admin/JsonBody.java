package io.switchboard.http.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A request body read as a JSON object, with typed accessors that fail with a 400
 * {@link ApiProblem} naming the field: malformed JSON, a duplicate or unknown field, a missing
 * required field or a value of the wrong type. Parsing is strict on purpose (no coercion of
 * {@code "5"} to 5), so that a client's mistake is reported instead of guessed at.
 */
final class JsonBody {
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final ObjectNode node;
  private final String prefix;

  private JsonBody(ObjectNode node, String prefix) {
    this.node = node;
    this.prefix = prefix;
  }

  static JsonBody parse(String text) {
    if (text.isBlank()) {
      throw ApiProblem.badRequest("body: a JSON object is required");
    }
    JsonNode parsed;
    try {
      parsed = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw ApiProblem.badRequest("body: malformed JSON" + where + ": " + e.getOriginalMessage());
    }
    if (!(parsed instanceof ObjectNode object)) {
      throw ApiProblem.badRequest("body: must be a JSON object");
    }
    return new JsonBody(object, "");
  }

  /** Refuses fields outside {@code allowed}, so that a misspelt optional field is not silently ignored. */
  JsonBody allowOnly(Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw ApiProblem.badRequest(field(name) + ": unknown field (allowed: " + String.join(", ",
            allowed.stream().sorted().toList()) + ")");
      }
    }
    return this;
  }

  boolean has(String name) {
    return node.has(name) && !node.get(name).isNull();
  }

  String string(String name) {
    return optionalString(name).orElseThrow(() -> missing(name));
  }

  Optional<String> optionalString(String name) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!value.isTextual()) {
      throw wrongType(name, "a string");
    }
    return Optional.of(value.textValue());
  }

  Optional<Boolean> optionalBoolean(String name) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!value.isBoolean()) {
      throw wrongType(name, "true or false");
    }
    return Optional.of(value.booleanValue());
  }

  int integer(String name, int min, int max) {
    return optionalInteger(name, min, max).orElseThrow(() -> missing(name));
  }

  Optional<Integer> optionalInteger(String name, int min, int max) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw wrongType(name, "an integer");
    }
    int v = value.intValue();
    if (v < min || v > max) {
      throw ApiProblem.badRequest(field(name) + ": must be " + min + " to " + max);
    }
    return Optional.of(v);
  }

  List<String> strings(String name) {
    if (!has(name)) {
      throw missing(name);
    }
    JsonNode value = node.get(name);
    if (!value.isArray()) {
      throw wrongType(name, "an array of strings");
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      if (!value.get(i).isTextual()) {
        throw ApiProblem.badRequest(field(name) + "[" + i + "]: must be a string");
      }
      result.add(value.get(i).textValue());
    }
    return result;
  }

  JsonBody object(String name) {
    return optionalObject(name).orElseThrow(() -> missing(name));
  }

  Optional<JsonBody> optionalObject(String name) {
    if (!has(name)) {
      return Optional.empty();
    }
    JsonNode value = node.get(name);
    if (!(value instanceof ObjectNode object)) {
      throw wrongType(name, "an object");
    }
    return Optional.of(new JsonBody(object, field(name) + "."));
  }

  /** The names of the fields present, in order. */
  List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** An array of objects. */
  List<JsonBody> objects(String name) {
    JsonNode value = node.get(name);
    if (value == null || !value.isArray()) {
      throw wrongType(name, "an array");
    }
    List<JsonBody> result = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      if (!(value.get(i) instanceof ObjectNode object)) {
        throw ApiProblem.badRequest(field(name) + "[" + i + "]: must be an object");
      }
      result.add(new JsonBody(object, field(name) + "[" + i + "]."));
    }
    return result;
  }

  String field(String name) {
    return prefix + name;
  }

  ApiProblem invalid(String name, String message) {
    return ApiProblem.badRequest(field(name) + ": " + message);
  }

  private ApiProblem missing(String name) {
    return ApiProblem.badRequest(field(name) + ": is required");
  }

  private ApiProblem wrongType(String name, String type) {
    return ApiProblem.badRequest(field(name) + ": must be " + type);
  }

}
