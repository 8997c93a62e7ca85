import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { queryKeys } from '../../api/query-keys';
import { Dialog } from '../../app/Dialog';
import { CopyField } from '../../app/CopyField';
import { toastError } from '../../app/toasts';
import { tokenScope, type TokenScopeName } from '../../../../src-main/contract/tokens';
import { createToken } from './queries';

const scopeHelp: Record<TokenScopeName, string> = {
  read: 'List and read media, transcripts, jobs and models',
  transcribe: 'Add media and start or cancel transcriptions',
  live: 'Stream live captions over WS /v1/live',
  admin: 'Everything, including settings, models and tokens',
};

/** Creates an API token and shows its secret once, with a copy button. */
export function CreateTokenDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScopeName[]>(['read']);
  const [invalid, setInvalid] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: createToken,
    onError: toastError,
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (scopes.length === 0) {
      setInvalid('Choose at least one scope.');
      return;
    }
    setInvalid(null);
    create.mutate({ ...(name.trim() ? { name: name.trim() } : {}), scopes });
  };

  if (create.data) {
    const secret = create.data.token;
    return (
      <Dialog
        title="Token created"
        onClose={onClose}
        footer={
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <p>
          Copy the token now: it is shown only this once. Send it as{' '}
          <code>Authorization: Bearer …</code>.
        </p>
        <div className="field">
          <label htmlFor="new-token">Token</label>
          <CopyField
            id="new-token"
            value={secret}
            what="Token"
            className="token-secret"
            autoFocus
          />
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="New API token"
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="token-form" className="primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </>
      }
    >
      <form id="token-form" className="token-form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input
            id="token-name"
            type="text"
            value={name}
            placeholder="e.g. Batch script"
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <fieldset
          className="scope-list"
          aria-describedby={invalid ? 'token-scope-error' : undefined}
        >
          <legend>Scopes</legend>
          {tokenScope.options.map((scope) => (
            <label key={scope} className="scope">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(event) =>
                  setScopes(
                    event.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope),
                  )
                }
              />
              <span>
                <span className="scope-name">{scope}</span>
                <span className="field-hint">{scopeHelp[scope]}</span>
              </span>
            </label>
          ))}
          {invalid && (
            <p id="token-scope-error" className="field-error" role="alert">
              {invalid}
            </p>
          )}
        </fieldset>
      </form>
    </Dialog>
  );
}
