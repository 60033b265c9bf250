"use client";

import { useActionState } from "react";
import { createTokenAction, type CreateTokenState } from "./actions";
import { CopyButton } from "./copy-button";

export function CreateTokenForm() {
  const [state, action, pending] = useActionState<CreateTokenState, FormData>(createTokenAction, {});
  return (
    <form action={action} className="filter-bar">
      <label className="field field-search">
        <span className="field-label">Token name</span>
        <input name="name" placeholder="e.g. weekly-report script" maxLength={100} />
      </label>
      <div className="field field-actions">
        <button type="submit" className="button" disabled={pending}>
          Create token
        </button>
      </div>
      {state.error && (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      )}
      {state.token && (
        <div className="token-created">
          <p role="status">
            <strong>Copy this token now; it is shown only once.</strong> Send it as{" "}
            <code>Authorization: Bearer &lt;token&gt;</code>.
          </p>
          <div className="token-copy">
            <p className="token-once" id="new-token" data-testid="new-token">
              {state.token}
            </p>
            <CopyButton text={state.token} targetId="new-token" label="Copy token" />
          </div>
        </div>
      )}
    </form>
  );
}
