export default function UsageStatisticsPage() {
  return <div className="page">UsageStatisticsPage</div>;
}
