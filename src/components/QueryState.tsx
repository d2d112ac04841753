// The loading and error faces of an asynchronous resource, the same everywhere in the lab.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';

type Props<T> = {
  query: UseQueryResult<T>;
  what: string;
  children: (data: T) => ReactNode;
};

export function QueryState<T>({ query, what, children }: Props<T>) {
  if (query.isPending) {
    return (
      <p className="loading" role="status">
        Loading {what}…
      </p>
    );
  }
  if (query.isError) {
    return (
      <div role="alert" className="error-box">
        <strong>Could not load {what}.</strong>
        <p>{query.error instanceof Error ? query.error.message : String(query.error)}</p>
        <button type="button" onClick={() => void query.refetch()}>
          Retry
        </button>
      </div>
    );
  }
  return <>{children(query.data)}</>;
}
