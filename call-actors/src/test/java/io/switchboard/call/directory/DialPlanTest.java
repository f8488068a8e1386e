package io.switchboard.call.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DialPlanTest {

  @Test
  void e164IsTakenAsItIsAndSeparatorsAreDropped() {
    assertEquals(Optional.of("+4930123456"), DialPlan.toE164("+49 30 123456", "1"));
    assertEquals(Optional.of("+14155550100"), DialPlan.toE164("+1 (415) 555-0100", "49"));
    assertEquals(Optional.empty(), DialPlan.toE164("+0301234567", "49"), "no country code starts with 0");
    assertEquals(Optional.empty(), DialPlan.toE164("+1234567890123456", "49"), "E.164 has at most 15 digits");
  }

  @Test
  void nationalFormsUseTheTenantsCountryCode() {
    assertEquals(Optional.of("+4930123456"), DialPlan.toE164("030 123456", "49"), "trunk prefix 0");
    assertEquals(Optional.of("+4930123456"), DialPlan.toE164("004930123456", "49"), "international prefix 00");
    assertEquals(Optional.of("+442071234567"), DialPlan.toE164("00442071234567", "49"));
    assertEquals(Optional.of("+14155550100"), DialPlan.toE164("4155550100", "1"), "NANP 10 digits");
    assertEquals(Optional.of("+14155550100"), DialPlan.toE164("14155550100", "1"), "NANP 1 + 10 digits");
    assertEquals(Optional.of("+442071234567"), DialPlan.toE164("011442071234567", "1"), "NANP international prefix");
  }

  @Test
  void extensionsAndJunkAreNoNumbers() {
    assertEquals(Optional.empty(), DialPlan.toE164("201", "49"));
    assertEquals(Optional.empty(), DialPlan.toE164("12345678", "49"), "8 digits can be an extension");
    assertEquals(Optional.empty(), DialPlan.toE164("alice", "49"));
    assertTrue(DialPlan.isExtension("20"));
    assertTrue(DialPlan.isExtension("12345678"));
    assertFalse(DialPlan.isExtension("2"));
    assertFalse(DialPlan.isExtension("123456789"));
  }

  @Test
  void candidatesAlsoTryE164WithoutThePlusSign() {
    assertEquals(List.of("+49494930123456", "+494930123456"), DialPlan.candidates("494930123456", "49"));
    assertEquals(List.of("+4930123456"), DialPlan.candidates("+4930123456", "49"));
    assertEquals(List.of(), DialPlan.candidates("201", "49"));
  }
}
