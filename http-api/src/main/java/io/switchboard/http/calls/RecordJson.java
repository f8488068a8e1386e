package io.switchboard.http.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Renders the domain's records (events, call records) as JSON by their components, so the event
 * history in the API always shows exactly what the journal holds. Actor references are internal
 * addresses and are left out; an absent Optional is left out too.
 */
final class RecordJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private RecordJson() {}

  static JsonNode of(Object value) {
    if (value == null) {
      return JSON.nullNode();
    }
    if (value instanceof Optional<?> optional) {
      return optional.map(RecordJson::of).orElse(JSON.nullNode());
    }
    if (value instanceof String s) {
      return JSON.textNode(s);
    }
    if (value instanceof Integer || value instanceof Long) {
      return JSON.numberNode(((Number) value).longValue());
    }
    if (value instanceof Boolean b) {
      return JSON.booleanNode(b);
    }
    if (value instanceof Instant || value instanceof Enum<?>) {
      return JSON.textNode(value.toString());
    }
    if (value instanceof Duration d) {
      return JSON.numberNode(d.toMillis());
    }
    if (value instanceof Collection<?> items) {
      ArrayNode array = JSON.arrayNode();
      items.forEach(i -> array.add(of(i)));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = JSON.objectNode();
      map.forEach((k, v) -> object.set(String.valueOf(k), of(v)));
      return object;
    }
    if (value.getClass().isRecord()) {
      ObjectNode object = JSON.objectNode();
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        Object field = read(component, value);
        if (field instanceof ActorRef<?> || (field instanceof Optional<?> o && o.isEmpty())) {
          continue;
        }
        object.set(component.getName() + (field instanceof Duration ? "Millis" : ""), of(field));
      }
      return object;
    }
    return JSON.textNode(value.toString());
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component, e);
    }
  }
}
