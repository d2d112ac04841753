// Catches a render error in one part of the lab and says what broke, so the rest of the page
// (and everything already computed) stays on screen. Recovering must really start afresh: what
// broke the view usually lives outside it (a store, a cached query), so "Try again" and leaving
// the view both clear that cause (`onReset`, and the cached queries no mounted view uses — the
// broken view's among them) before the view is drawn again from scratch.
import { Component, Fragment, type ContextType, type ErrorInfo, type ReactNode } from 'react';
import { QueryClientContext } from '@tanstack/react-query';

type Props = {
  where: string;
  children: ReactNode;
  /** Clears state outside React that the view draws (called on "Try again" and on leaving). */
  onReset?: () => void;
};
type State = { error: Error | null; attempt: number };

export class ErrorBoundary extends Component<Props, State> {
  static override contextType = QueryClientContext;
  declare context: ContextType<typeof QueryClientContext>;
  override state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Error in ${this.props.where}:`, error, info.componentStack);
  }

  /** Leaving a broken view: the next visit starts without what broke it. */
  override componentWillUnmount(): void {
    if (this.state.error) this.clearCause();
  }

  /** Clears the cause, then mounts the children anew (a new key: no state of theirs survives). */
  tryAgain = (): void => {
    this.clearCause();
    this.setState((s) => ({ error: null, attempt: s.attempt + 1 }));
  };

  private clearCause(): void {
    try {
      this.props.onReset?.();
    } catch (err) {
      // Drawing the view again is still the best try; the boundary catches it if it breaks.
      console.error(`Could not clear the state of ${this.props.where}:`, err);
    }
    // The broken view's queries have no observer now: drop them so they are fetched afresh.
    void this.context?.resetQueries({ type: 'inactive' });
  }

  override render() {
    if (!this.state.error)
      return <Fragment key={this.state.attempt}>{this.props.children}</Fragment>;
    return (
      <div role="alert" className="error-box">
        <strong>Something went wrong in {this.props.where}.</strong>
        <p>{this.state.error.message}</p>
        <button type="button" onClick={this.tryAgain}>
          Try again
        </button>
      </div>
    );
  }
}
