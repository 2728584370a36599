declare('never', { columns: { id: 'int64' }, key: ['id'] });
function transform(row, ctx) {
  while (true) { }
}
