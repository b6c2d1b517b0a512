// name: documents-implementing
// description: Documents that implement (or, with include_citing, merely cite) a legal basis such as
//   749/QĐ-TTg. Tolerant of short forms: "749", "QĐ 749", "Quyết định 749", "749/qd-ttg".
// param: basis: text — number of the legal basis, full ("749/QĐ-TTg") or short ("749", "QĐ 749")
// param: include_citing: bool = false — also documents that only mention it
// columns: basis, basis_title, relation, doc_id, number, doc_type, jurisdiction, date, title, quote
MATCH (d:Document)-[r]->(lb:LegalBasis)
WHERE type(r) = 'IMPLEMENTS' OR ($include_citing AND type(r) = 'CITES')
WITH d, r, lb,
     toLower(replace(replace(replace(coalesce(lb.number, split(lb.id, '@')[0]), 'Đ', 'D'), 'đ', 'd'), '/', '-')) AS number_key
WITH d, r, lb, number_key, split(number_key, '-') AS number_tokens, split($basis_key, '-') AS asked_tokens
WHERE lb.id = $basis
   OR lb.number = $basis
   OR number_key = $basis_key
   OR number_key STARTS WITH ($basis_key + '-')
   OR (number_tokens[0] IN asked_tokens
       AND all(x IN asked_tokens WHERE toInteger(x) IS NULL OR x IN number_tokens))
WITH d, lb,
     CASE WHEN 'IMPLEMENTS' IN collect(type(r)) THEN 'implements' ELSE 'cites' END AS relation,
     head(collect(r.quote)) AS quote
RETURN lb.id AS basis,
       lb.title AS basis_title,
       relation,
       d.id AS doc_id,
       d.number AS number,
       d.doc_type AS doc_type,
       d.jurisdiction AS jurisdiction,
       d.date AS date,
       d.title AS title,
       quote
ORDER BY basis, date, doc_id
