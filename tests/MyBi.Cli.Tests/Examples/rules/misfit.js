declare('misfit', { columns: { id: 'int64', amount: 'decimal' }, key: ['id'] });
function transform(row, ctx) {
  emit('misfit', { id: row.id % 2 === 0 ? 'not a number' : row.id, amount: row.amount });
}
