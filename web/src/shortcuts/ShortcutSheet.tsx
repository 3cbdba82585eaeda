import { Dialog } from "../panels/Dialog";
import { SHORTCUTS, type Shortcut, comboKeys } from "./shortcuts";

/** The `?` dialog: every shortcut of SHORTCUTS, by group. */
export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const groups = new Map<string, Shortcut[]>();
  for (const item of SHORTCUTS) groups.set(item.group, [...(groups.get(item.group) ?? []), item]);
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="shortcut-sheet">
      <p className="muted small">On a Mac, Cmd works where Ctrl is shown.</p>
      {[...groups.entries()].map(([group, items]) => (
        <section key={group} className="shortcut-group">
          <h3>{group}</h3>
          <dl>
            {items.map((item) => (
              <div className="shortcut-row" key={item.id} data-testid={`shortcut-${item.id}`}>
                <dt>
                  {item.combos.map((combo, index) => (
                    <span key={index} className="shortcut-combo">
                      {index > 0 && <span className="muted small"> or </span>}
                      {comboKeys(combo).map((key) => (
                        <kbd key={key}>{key}</kbd>
                      ))}
                    </span>
                  ))}
                </dt>
                <dd>{item.description}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </Dialog>
  );
}
