-- Claims due rows of one entity for a while (a lease) and returns them. The statement commits at once: the lease, not
-- an open transaction, keeps other relays off the rows while Meilisearch works, and a relay that dies simply lets its
-- leases run out. SKIP LOCKED lets relays of several processes claim side by side without waiting on each other.
-- Ordered like the partial index outbox_pending, so a claim reads only what it takes whether the backlog is ten rows
-- or a seeded million. Bindings: lease seconds, entity, entity, limit.
UPDATE outbox SET claimed_until = now() + make_interval(secs => ?::float8)
 WHERE id IN (
   SELECT o.id FROM outbox o
    WHERE o.done_at IS NULL AND o.next_attempt_at <= now() AND o.entity = ?
      AND (o.claimed_until IS NULL OR o.claimed_until <= now())
      -- A post that is on its way to the index (another row of it is leased) waits until that send is marked: its newer
      -- state must not race the older one. NOT IN, not NOT EXISTS: the planner hashes the few leased posts once (read
      -- from the small index outbox_in_flight), where NOT EXISTS became a nested loop comparing every pair — measured
      -- 385 ms instead of 35 ms for a 2000-row claim with 2000 rows in flight. entity_id is NOT NULL, so NOT IN is safe.
      AND o.entity_id NOT IN (
        SELECT f.entity_id FROM outbox f
         WHERE f.done_at IS NULL AND f.claimed_until IS NOT NULL AND f.claimed_until > now() AND f.entity = ?)
    ORDER BY o.next_attempt_at, o.id
    LIMIT ?
    FOR UPDATE OF o SKIP LOCKED)
RETURNING id, entity, entity_id, op, attempts
