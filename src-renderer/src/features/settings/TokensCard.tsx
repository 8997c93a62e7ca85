import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { queryKeys } from '../../api/query-keys';
import { ConfirmDialog } from '../../app/Dialog';
import { toastError, useToasts } from '../../app/toasts';
import { CreateTokenDialog } from './CreateTokenDialog';
import type { TokenInfoView } from '../../../../src-main/contract/tokens';
import { revokeToken, tokensQuery } from './queries';

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : 'never');

/** API tokens for scripts: list, create (secret shown once), revoke. */
export function TokensCard() {
  const queryClient = useQueryClient();
  const tokens = useQuery(tokensQuery());
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TokenInfoView | null>(null);
  const revoke = useMutation({
    mutationFn: revokeToken,
    onError: toastError,
    onSuccess: (token) => {
      useToasts.getState().show('success', `Revoked ${token.name ?? 'the token'}.`);
      setRevoking(null);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens }),
  });

  return (
    <section className="card" aria-labelledby="tokens-title">
      <div className="card-header">
        <h3 id="tokens-title">API tokens</h3>
        <button type="button" onClick={() => setCreating(true)}>
          New token…
        </button>
      </div>
      <p className="muted">
        Scripts and other apps use a token to call the local API. Revoke one you no longer need.
      </p>
      {tokens.isPending && <p className="muted">Loading…</p>}
      {tokens.isError && (
        <p role="alert" className="alert">
          {tokens.error.message}
        </p>
      )}
      {tokens.data &&
        (tokens.data.tokens.length === 0 ? (
          <p className="muted">No tokens yet. The studio itself needs none.</p>
        ) : (
          <table className="table tokens">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.tokens.map((token) => (
                <tr
                  key={token.id}
                  data-token-id={token.id}
                  className={token.revokedAt ? 'revoked' : ''}
                >
                  <td>{token.name ?? <span className="muted">Unnamed ({token.id})</span>}</td>
                  <td>
                    <span className="row">
                      {token.scopes.map((scope) => (
                        <span key={scope} className="pill">
                          {scope}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td className="num">{date(token.createdAt)}</td>
                  <td className="num">{date(token.lastUsedAt)}</td>
                  <td>
                    {token.revokedAt ? (
                      <span className="pill bad">Revoked</span>
                    ) : (
                      <button
                        type="button"
                        className="small"
                        aria-label={`Revoke ${token.name ?? token.id}`}
                        onClick={() => setRevoking(token)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {creating && <CreateTokenDialog onClose={() => setCreating(false)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name ?? 'this token'}?`}
          confirmLabel="Revoke token"
          danger
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate(revoking.id)}
          onCancel={() => setRevoking(null)}
        >
          <p>Anything that uses it stops working at once. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
