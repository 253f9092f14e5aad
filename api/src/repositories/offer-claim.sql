-- Claims an offer in ONE statement (one round trip, atomic on its own): never read-then-write.
--   eligible: the offer's post is listable for this viewer — the audience policy's SQL condition, whose 'area' term is
--             "the viewer's home res-8 cell is one of the offer's target cells" (policy/audience.policy.ts);
--   inserted: the claim row; the partial unique indexes (offer, user) and (offer, household) turn a duplicate into
--             "nothing inserted" (a concurrent twin waits for the first to commit, then finds the conflict);
--   taken:    the conditional decrement, only for a claim just inserted, only while running and not exhausted;
--   notified: (issue 13) a private 'claim' live event for each of the shop's owner and staff — only for a claim just
--             taken, in the same statement, so it commits with the claim or not at all. It names the offer, never the
--             claimer (no actor): the notification worker turns it into their batched "N new claims" notification.
--             Inserted last-in-effect: its trigger takes the events lock, held only until this statement commits;
--   the final SELECT aborts the whole statement (so the inserted claim is rolled back) when a claim was inserted but
--   nothing could be taken. The hot offer row is locked only from the UPDATE to the commit.
-- Bindings: 1 offer id, 2.. policy bindings, then user id, household cell (or null), home res-7 cell, code.
WITH eligible AS (
  SELECT o.id, o.merchant_id, o.per_household, o.post_id
    FROM offers o JOIN posts p ON p.id = o.post_id
   WHERE o.id = ? AND /*policy*/
),
inserted AS (
  INSERT INTO offer_claims (offer_id, merchant_id, user_id, household_cell, home_cell7, code)
  SELECT e.id, e.merchant_id, ?::bigint, CASE WHEN e.per_household THEN ?::bigint END, ?::bigint, ? FROM eligible e
  ON CONFLICT DO NOTHING
  RETURNING id, offer_id, code, created_at
),
taken AS (
  UPDATE offers SET remaining = remaining - 1
   WHERE id = (SELECT offer_id FROM inserted) AND remaining > 0 AND withdrawn_at IS NULL
     AND now() >= starts_at AND now() < ends_at
  RETURNING id, remaining
),
notified AS (
  INSERT INTO events (kind, recipient_id, post_id, ref_id)
  SELECT 'claim', r.user_id, e.post_id, t.id FROM taken t JOIN eligible e ON e.id = t.id JOIN merchant_roles r ON r.merchant_id = e.merchant_id
)
SELECT i.id, i.code, i.created_at, t.remaining,
       hexhood_offer_taken(i.id IS NULL OR t.id IS NOT NULL) AS ok
  FROM (SELECT 1) one LEFT JOIN inserted i ON true LEFT JOIN taken t ON true
