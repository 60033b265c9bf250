"use client";

import { useState } from "react";

/** Copies a text to the clipboard and says so; where the clipboard is not allowed, selects it for Ctrl+C. */
export function CopyButton({ text, targetId, label }: { text: string; targetId: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "selected">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      const target = document.getElementById(targetId);
      if (target) window.getSelection()?.selectAllChildren(target);
      setState("selected");
    }
  };
  return (
    <>
      <button type="button" className="button" onClick={copy}>
        {label}
      </button>
      <span role="status" className="muted small copy-status">
        {state === "copied"
          ? "Copied to the clipboard."
          : state === "selected"
            ? "Selected: press Ctrl+C (or Cmd+C) to copy."
            : ""}
      </span>
    </>
  );
}
