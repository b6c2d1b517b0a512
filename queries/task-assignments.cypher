// name: task-assignments
// description: Every task of one document with its leads and coordinators (the plan's responsibility
//   matrix), including assignments to clauses that do not exist.
// param: doc: text — document id, number (370/KH-UBND) or bare number (370)
// columns: doc_id, path, title, deadline_text, leads, coordinators, broken
MATCH (d:Document)
WHERE d.id = $doc
   OR d.number = $doc
   OR toLower(d.number) = toLower($doc)
   OR split(d.number, '/')[0] = $doc
   OR d.id STARTS WITH ($doc + '@')
MATCH (t)
WHERE (t:Task OR t:Missing) AND t.doc_id = d.id
WITH d, t,
     [(l:Agency)-[:LEADS]->(t) | l.id] AS leads,
     [(c:Agency)-[:COORDINATES]->(t) | c.id] AS coordinators
WHERE NOT t:Missing OR size(leads) > 0 OR size(coordinators) > 0
RETURN d.id AS doc_id,
       t.path AS path,
       coalesce(t.title, t.raw) AS title,
       t.deadline_text AS deadline_text,
       reduce(acc = [], x IN leads | CASE WHEN x IN acc THEN acc ELSE acc + [x] END) AS leads,
       reduce(acc = [], x IN coordinators | CASE WHEN x IN acc THEN acc ELSE acc + [x] END) AS coordinators,
       'Missing' IN labels(t) AS broken
ORDER BY doc_id, coalesce(t.order, 1000000000), path
