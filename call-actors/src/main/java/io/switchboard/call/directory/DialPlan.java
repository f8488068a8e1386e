package io.switchboard.call.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How dialled strings are read: extensions, and numbers in E.164 or national form.
 *
 * <p>Visual separators (space, {@code - . ( )}, RFC 3966 §5.1.1) are dropped first. Then:
 * <ul>
 *   <li>{@code +} and 7 to 15 digits: E.164 as it is;</li>
 *   <li>2 to {@value #MAX_EXTENSION_DIGITS} digits: an extension (never an outside number);</li>
 *   <li>longer digit strings are national forms, read with the tenant's country code {@code cc}:
 *       {@code 00} + international number (ITU international prefix); for {@code cc = 1} also
 *       {@code 011} + international number, {@code 1} + 10 digits and bare 10 digits (NANP);
 *       {@code 0} + national number (trunk prefix, dropped); otherwise the digits are the national
 *       number.</li>
 * </ul>
 * Trunks often deliver a called number as E.164 without the plus sign, so when matching
 * provisioned numbers {@code +digits} is tried as well ({@link #candidates}).
 */
public final class DialPlan {
  /** The longest extension; a longer digit string is a number outside the tenant. */
  public static final int MAX_EXTENSION_DIGITS = 8;
  /** E.164 allows at most 15 digits (ITU-T E.164 §6); shorter than 7 is no real subscriber number. */
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern EXTENSION = Pattern.compile("[0-9]{2," + MAX_EXTENSION_DIGITS + "}");
  private static final Pattern COUNTRY_CODE = Pattern.compile("[1-9][0-9]{0,2}");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-.()]");

  private DialPlan() {}

  public static boolean isE164(String number) {
    return E164.matcher(number).matches();
  }

  public static boolean isExtension(String value) {
    return EXTENSION.matcher(value).matches();
  }

  public static boolean isCountryCode(String value) {
    return COUNTRY_CODE.matcher(value).matches();
  }

  /** The dialled string without visual separators. */
  public static String clean(String dialled) {
    return SEPARATORS.matcher(dialled).replaceAll("");
  }

  /** The E.164 form of a (cleaned) dialled number, if it is one; empty for extensions and junk. */
  public static Optional<String> toE164(String dialled, String countryCode) {
    String d = clean(dialled);
    if (d.startsWith("+")) {
      return isE164(d) ? Optional.of(d) : Optional.empty();
    }
    if (!DIGITS.matcher(d).matches() || d.length() <= MAX_EXTENSION_DIGITS) {
      return Optional.empty();
    }
    String e164;
    if (d.startsWith("00")) {
      e164 = "+" + d.substring(2);
    } else if (countryCode.equals("1") && d.startsWith("011")) {
      e164 = "+" + d.substring(3);
    } else if (countryCode.equals("1") && d.length() == 11 && d.startsWith("1")) {
      e164 = "+" + d;
    } else if (d.startsWith("0")) {
      e164 = "+" + countryCode + d.substring(1);
    } else {
      e164 = "+" + countryCode + d;
    }
    return isE164(e164) ? Optional.of(e164) : Optional.empty();
  }

  /** The E.164 numbers a dialled string may mean, most likely first (for matching provisioned numbers). */
  public static List<String> candidates(String dialled, String countryCode) {
    List<String> result = new ArrayList<>();
    toE164(dialled, countryCode).ifPresent(result::add);
    String d = clean(dialled);
    if (DIGITS.matcher(d).matches() && d.length() > MAX_EXTENSION_DIGITS && isE164("+" + d)
        && !result.contains("+" + d)) {
      result.add("+" + d);
    }
    return result;
  }
}
