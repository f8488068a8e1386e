package io.switchboard.call.directory;

import java.util.Optional;

/**
 * A user as the directory lists them (no credentials).
 *
 * @param extension   2 to 8 digits, unique among the tenant's users and ring groups
 * @param sipUsername the username of SIP digest authentication, unique in the tenant
 */
public record UserEntry(String userId, String displayName, String extension, Optional<String> email,
                        String sipUsername) {}
