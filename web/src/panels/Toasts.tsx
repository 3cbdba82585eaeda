import { useUi } from "../state/ui";

export function Toasts() {
  const toasts = useUi((state) => state.toasts);
  const dismiss = useUi((state) => state.dismiss);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <button type="button" key={toast.id} className={`toast ${toast.kind}`} onClick={() => dismiss(toast.id)} data-testid="toast">
          {toast.text}
        </button>
      ))}
    </div>
  );
}
