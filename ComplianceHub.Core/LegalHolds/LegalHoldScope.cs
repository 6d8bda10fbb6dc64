namespace ComplianceHub.Core.LegalHolds;

/// <summary>The one definition of a hold's scope for a message, as SQL both providers run.</summary>
public static class LegalHoldScope
{
    /// <summary>
    /// True when the message aliased <paramref name="message"/> is in the scope of an active hold: sent
    /// within the hold's range, in a conversation the hold names or one of its custodians keeps.
    /// </summary>
    public static string OnHoldCondition(string message) => Condition(message, "h.\"ReleasedAt\" IS NULL");

    /// <summary>True when the message is in the scope of the hold whose id is the parameter <paramref name="holdParameter"/>.</summary>
    public static string InScopeOfHoldCondition(string message, string holdParameter) => Condition(message, $"h.\"Id\" = {holdParameter}");

    private static string Condition(string message, string whichHolds) => $"""
        EXISTS (SELECT 1 FROM "LegalHolds" h
            WHERE {whichHolds}
              AND (h."ScopeFromKey" IS NULL OR {message}."SearchKey" >= h."ScopeFromKey")
              AND (h."ScopeUntilKey" IS NULL OR {message}."SearchKey" < h."ScopeUntilKey")
              AND (EXISTS (SELECT 1 FROM "LegalHoldConversations" hc WHERE hc."HoldId" = h."Id" AND hc."ConversationId" = {message}."ConversationId")
                OR EXISTS (SELECT 1 FROM "LegalHoldCustodians" hu JOIN "ConversationCustodians" cc ON cc."Email" = hu."Email"
                           WHERE hu."HoldId" = h."Id" AND cc."ConversationId" = {message}."ConversationId")))
        """;
}
