import { useCallback, useEffect, useState } from "react";

import { api } from "./api/client";
import { loadIcons } from "./nodes/icons";
import { makeRegistry } from "./nodes/registry";
import { EditorPage } from "./pages/EditorPage";
import { JourneysPage } from "./pages/JourneysPage";
import { Toasts } from "./panels/Toasts";
import { useEditor } from "./state/editor";

/** Two pages: `/` lists journeys, `/journeys/<key>` edits one. The registry loads first. */
export function App() {
  const [path, setPath] = useState(window.location.pathname);
  const [registry, setRegistry] = useState<"loading" | "ready" | string>("loading");

  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  useEffect(() => {
    // The document schema only adds forms (node retries, journey settings): it may fail alone.
    const schema = api.documentSchema().catch(() => null);
    void loadIcons();
    api
      .nodeTypes()
      .then(async (types) => {
        useEditor.getState().setRegistry(makeRegistry(types));
        useEditor.getState().setDocumentSchema(await schema);
        setRegistry("ready");
      })
      .catch((error: unknown) => setRegistry(error instanceof Error ? error.message : String(error)));
  }, []);

  const navigate = useCallback((to: string) => {
    if (to !== window.location.pathname) window.history.pushState(null, "", to);
    setPath(to);
  }, []);

  let page;
  if (registry === "loading") page = <div className="page-message">Loading…</div>;
  else if (registry !== "ready") page = <div className="page-message error-box">Could not load the node types from the API: {registry}</div>;
  else {
    const match = /^\/journeys\/([^/]+)\/?$/.exec(path);
    page = match ? <EditorPage key={match[1]} journeyKey={decodeURIComponent(match[1])} navigate={navigate} /> : <JourneysPage navigate={navigate} />;
  }
  return (
    <>
      {page}
      <Toasts />
    </>
  );
}
