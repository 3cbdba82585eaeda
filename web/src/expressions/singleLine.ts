import { EditorState } from "@codemirror/state";

/** Line breaks typed or pasted into a single-line field become spaces. */
export const lineBreaksAsSpaces = EditorState.transactionFilter.of((transaction) => {
  if (!transaction.docChanged || transaction.newDoc.lines === 1) return transaction;
  const breaks = [];
  for (let number = 1; number < transaction.newDoc.lines; number++) {
    const end = transaction.newDoc.line(number).to;
    breaks.push({ from: end, to: end + 1, insert: " " });
  }
  return [transaction, { changes: breaks, sequential: true }];
});
