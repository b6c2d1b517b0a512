// name: agencies-on-task
// description: All agencies and their roles (lead, coordinate, focal_point, advise, steer) on one task,
//   given by its id ("370/KH-UBND@tien-giang-2021#III.1.a") or by its path plus the document.
// param: task: text — task/section id, or its path (III.1.a, PL3.11) together with doc
// param: doc: text = null — document id, number (370/KH-UBND) or bare number (370) when task is a path
// columns: doc_id, path, title, role, agency_id, agency, agency_en, abbr, jurisdiction, clause, quote, via_reference, broken
MATCH (t)
WHERE (t:Section OR t:Missing)
  AND (t.id = $task OR (t.path = $task AND $doc IS NOT NULL))
OPTIONAL MATCH (d:Document {id: t.doc_id})
WITH t, d
WHERE t.id = $task
   OR d.id = $doc
   OR d.number = $doc
   OR toLower(d.number) = toLower($doc)
   OR split(d.number, '/')[0] = $doc
   OR t.doc_id STARTS WITH ($doc + '@')
MATCH (a:Agency)-[r]->(t)
WHERE type(r) IN ['LEADS', 'COORDINATES', 'FOCAL_POINT', 'ADVISES', 'STEERS']
RETURN t.doc_id AS doc_id,
       t.path AS path,
       coalesce(t.title, t.raw) AS title,
       CASE type(r)
         WHEN 'LEADS' THEN 'lead'
         WHEN 'COORDINATES' THEN 'coordinate'
         WHEN 'FOCAL_POINT' THEN 'focal_point'
         WHEN 'ADVISES' THEN 'advise'
         ELSE 'steer'
       END AS role,
       a.id AS agency_id,
       a.name AS agency,
       a.name_en AS agency_en,
       a.abbr AS abbr,
       a.jurisdiction AS jurisdiction,
       r.clause AS clause,
       r.quote AS quote,
       coalesce(r.via_reference, false) AS via_reference,
       ('Missing' IN labels(t) OR coalesce(r.broken, false)) AS broken
ORDER BY doc_id, path,
         CASE role WHEN 'lead' THEN 0 WHEN 'coordinate' THEN 1 WHEN 'focal_point' THEN 2 WHEN 'advise' THEN 3 ELSE 4 END,
         agency_id, clause
