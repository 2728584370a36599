// The worked example of README.md ("Custom reports and table-description rules"); ReportsTests runs it.
declare('payments', {
  columns: { id: 'int64', company_id: 'int64', paid_at: 'timestamp', amount: 'decimal(18,2)',
             till: 'string', is_income: 'boolean' },
  key: ['id'],
  description: 'One row per payment',
});
declare('payment_labels', {
  columns: { payment_id: 'int64', label: 'string' },
  key: ['payment_id', 'label'],
});

function transform(row, ctx) {
  if (Number(row.amount) === 0) return;                    // skipping = emitting nothing
  emit('payments', {
    id: row.id, company_id: row.company_id, paid_at: row.date, amount: row.amount,
    till: row.account?.title, is_income: Number(row.amount) > 0,
  });
  if (row.expense?.title) emit('payment_labels', { payment_id: row.id, label: row.expense.title });
  if (row.record_id) emit('payment_labels', { payment_id: row.id, label: 'record' });
}
