// name: tasks-without-lead
// description: Tasks that no agency leads (no chủ trì / Đơn vị thực hiện found), with the agencies
//   that hold another role on them, if any.
// param: doc: text = null — optional document id, number (370/KH-UBND) or bare number (370)
// columns: doc_id, document, path, title, deadline_text, task_source, other_agencies
MATCH (t:Task)
WHERE NOT (t)<-[:LEADS]-(:Agency)
OPTIONAL MATCH (d:Document {id: t.doc_id})
WITH t, d
WHERE $doc IS NULL
   OR d.id = $doc
   OR d.number = $doc
   OR toLower(d.number) = toLower($doc)
   OR split(d.number, '/')[0] = $doc
   OR t.doc_id STARTS WITH ($doc + '@')
OPTIONAL MATCH (a:Agency)-[r]->(t)
WITH t, d, collect(DISTINCT a.id) AS other_agencies
RETURN t.doc_id AS doc_id,
       d.number AS document,
       t.path AS path,
       t.title AS title,
       t.deadline_text AS deadline_text,
       t.task_source AS task_source,
       other_agencies
ORDER BY doc_id, coalesce(t.order, 1000000000), path
