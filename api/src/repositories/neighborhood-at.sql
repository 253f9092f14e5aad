-- The neighbourhood a place belongs to: the one covering the point `anchor.geom`, the lower id where two share a
-- border. The one rule used wherever posts and homes are placed (post-create.sql, region.repository, the seed); callers
-- provide a row source named `anchor` with a `geom` column (always a display-cell or home-cell centroid, never an
-- exact point).
(SELECT nb.id FROM regions nb WHERE nb.kind = 'neighborhood' AND ST_Covers(nb.geom, anchor.geom) ORDER BY nb.id LIMIT 1)
