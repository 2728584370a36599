// A basic-load transform: records become one narrow fact table; deleted records are skipped.
declare('record_facts', {
  columns: { record_id: 'int64', company_id: 'int64', staff: 'string', day: 'date', came: 'boolean' },
  key: ['record_id'],
});

function transform(row, ctx) {
  if (row.deleted) return;
  emit('record_facts', { record_id: row.id, company_id: row.company_id, staff: row.staff?.name,
                         day: row.datetime, came: row.attendance === 1 });
}
