package io.switchboard.call.directory;

import io.switchboard.persistence.serialization.ProtobufSerializable;
import java.util.Optional;

/**
 * A provisioned number (direct inward dialling).
 *
 * @param number       E.164 with the plus sign, e.g. {@code +4930123456}
 * @param calendarId   business hours deciding between {@code target} (open) and {@code closedTarget}
 * @param closedTarget present exactly when {@code calendarId} is
 */
public record Did(String number, NumberTarget target, Optional<String> calendarId,
                  Optional<NumberTarget> closedTarget) implements ProtobufSerializable {}
